/**
 * What a channel key looks like for the types whose keys have a shape: a Google service
 * account's JSON key file (vertex-ai) and AWS access keys (aws-bedrock). The other types take
 * the provider's opaque API key.
 */

export type ServiceAccountProblem = 'json' | 'notServiceAccount';

/**
 * The service account key as one line of JSON (channel.create reads one key per line), or why
 * the text is not one. A pasted key file spans many lines; its private key's line breaks are
 * escaped, so re-serialising it loses nothing.
 */
export function readServiceAccountKey(
  text: string,
): { key: string } | { problem: ServiceAccountProblem } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: 'json' };
  }
  const fields = parsed as Record<string, unknown>;
  const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (
    fields.type !== 'service_account' ||
    !isText(fields.client_email) ||
    !isText(fields.private_key) ||
    !String(fields.private_key).includes('PRIVATE KEY')
  ) {
    return { problem: 'notServiceAccount' };
  }
  return { key: JSON.stringify(parsed) };
}

/** The key as channel.create/update take it: a service account key file on one line. */
export function keyToSend(type: string, text: string): string {
  if (type !== 'vertex-ai') return text;
  const read = readServiceAccountKey(text);
  return 'key' in read ? read.key : text;
}

export type BedrockKeyProblem = 'parts' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken';

/** Why a line is not `accessKeyId|secretAccessKey[|sessionToken]`, as the Bedrock channel reads it. */
export function bedrockKeyProblem(line: string): BedrockKeyProblem | undefined {
  const parts = line.trim().split('|');
  if (parts.length < 2 || parts.length > 3) return 'parts';
  const [accessKeyId = '', secretAccessKey = '', sessionToken] = parts.map((part) => part.trim());
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) return 'accessKeyId';
  if (!secretAccessKey || /\s/.test(secretAccessKey)) return 'secretAccessKey';
  if (sessionToken !== undefined && (!sessionToken || /\s/.test(sessionToken))) {
    return 'sessionToken';
  }
  return undefined;
}
