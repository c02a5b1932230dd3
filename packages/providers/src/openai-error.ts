import { isRecord, numberOf, parseJson, stringOf } from './json-values.js';

/** An OpenAI-shaped error body, `{"error":{message,type,param,code}}`, as clients parse it. */
export function openAIErrorBody(
  message: string,
  type = 'upstream_error',
  code: string | null = null,
): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/**
 * An OpenAI error body's message as formats without a code field write it: the code (the
 * gateway's own: invalid_api_key, token_exhausted, model_not_available …) at its end. A body that
 * is not OpenAI's error keeps its text as the message.
 */
export function messageWithCode(status: number, openAIBody: string): string {
  const parsed = parseJson(openAIBody);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;
  const message =
    stringOf(error?.message) ||
    (error ? undefined : openAIBody.trim()) ||
    `The request failed with status ${status}.`;
  const code = stringOf(error?.code) || numberOf(error?.code)?.toString();
  return code ? `${message} (${code})` : message;
}
