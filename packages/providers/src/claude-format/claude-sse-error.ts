import type { SseError } from '../openai-sse/error-event.js';

/**
 * The event that ends a Claude stream whose upstream failed after the answer began:
 * `event: error` with Anthropic's error object, which the Anthropic SDKs raise as an APIError.
 * The gateway's code stays visible in the message, as Claude errors have no code field.
 */
export function claudeSseError(error: SseError): Buffer {
  const type = /overload/i.test(`${error.type} ${error.code ?? ''}`)
    ? 'overloaded_error'
    : 'api_error';
  const message = error.code ? `${error.message} (${error.code})` : error.message;
  const body = JSON.stringify({ type: 'error', error: { type, message } });
  return Buffer.from(`event: error\ndata: ${body}\n\n`);
}
