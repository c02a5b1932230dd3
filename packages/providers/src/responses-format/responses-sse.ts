import type { JsonObject } from '../json-values.js';
import type { SseError } from '../openai-sse/error-event.js';

/** One Responses SSE event: its data names the type first, then its place in the stream. */
export function responsesEvent(type: string, sequence: number, body: JsonObject): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...body })}\n\n`;
}

/**
 * The events that end a Responses stream whose upstream failed after it began: `error`, then
 * `response.failed` with the response so far. The error event carries its fields both flat (as
 * the API reference documents them) and nested under `error` (as the API sends them): the
 * OpenAI SDKs raise an APIError only for an `error` key, the AI SDK reads either, and Codex
 * ends the turn on response.failed. The gateway's code stays in `code`.
 */
export function responsesFailure(error: SseError, response: JsonObject, sequence: number): string {
  const { message, type, code, param = null } = error;
  const failed = {
    ...response,
    status: 'failed',
    error: { code: code ?? 'server_error', message },
  };
  return (
    responsesEvent('error', sequence, {
      code,
      message,
      param,
      error: { type, code, message, param },
    }) + responsesEvent('response.failed', sequence + 1, { response: failed })
  );
}
