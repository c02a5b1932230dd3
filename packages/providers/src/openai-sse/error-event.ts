/** The OpenAI error body a failed stream ends with. */
export interface SseError {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

/**
 * The event that ends a stream whose upstream failed after the response began: a plain
 * `data:` event (no `event:` line) holding `{"error":{...}}`, which the official SDKs
 * turn into an APIError instead of treating the stream as finished.
 */
export function sseErrorEvent(error: SseError): Buffer {
  const { message, type, code, param = null } = error;
  const body = JSON.stringify({ error: { message, type, param, code } });
  return Buffer.from(`data: ${body}\n\n`);
}
