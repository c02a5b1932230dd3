const MAX_LENGTH = 500;

/** A readable reason from an upstream's failed response, OpenAI-shaped or not. */
export function upstreamErrorMessage(status: number, body: string): string {
  const reason = reasonFromJson(body) ?? body.trim();
  const text = reason ? `upstream answered ${status}: ${reason}` : `upstream answered ${status}`;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}

/** `{error:{message}}` (OpenAI), `{error:"…"}` and `{message}` (many compatibles), else undefined. */
export function reasonFromJson(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const { error, message } = parsed;
  if (typeof error === 'string' && error) return error;
  if (isRecord(error)) {
    if (typeof error.message === 'string' && error.message) return error.message;
    if (typeof error.code === 'string' && error.code) return error.code;
  }
  if (typeof message === 'string' && message) return message;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
