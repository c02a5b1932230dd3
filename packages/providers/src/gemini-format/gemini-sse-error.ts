import type { SseError } from '../openai-sse/error-event.js';
import { geminiErrorBody } from './gemini-client-error.js';

// A Gemini stream that fails after the answer began ends with Google's error JSON twice: as a
// `data:` event, which the AI SDK (@ai-sdk/google) raises as an APICallError with the status;
// then bare, as Google writes a failure mid-stream, which @google/genai raises as an ApiError
// when it arrives on its own (it reads `error` events as empty chunks), or otherwise as
// "Incomplete JSON segment at the end". Sent apart where the ending can wait for the stream's end.

/** The HTTP status a failure mid-stream is reported with, from the gateway's error words. */
function statusOf(error: SseError): number {
  const words = `${error.type} ${error.code ?? ''}`.toLowerCase();
  if (/overload|unavailable|shutting_down/.test(words)) return 503;
  if (/rate_limit/.test(words)) return 429;
  if (/timeout|timed_out|deadline/.test(words)) return 504;
  return 500;
}

/** `{"error":{code,message,status}}` for a failure mid-stream, the gateway's code in the message. */
export function geminiSseErrorJson(error: SseError): string {
  const message = error.code ? `${error.message} (${error.code})` : error.message;
  return geminiErrorBody(statusOf(error), message);
}

/** Google's error JSON as an SSE event, framed as Google frames its events. */
export function geminiErrorEvent(errorJson: string): string {
  return `data: ${errorJson}\r\n\r\n`;
}

/** The whole ending at once: the event, then the bare copy. */
export function geminiSseError(error: SseError): Buffer {
  const json = geminiSseErrorJson(error);
  return Buffer.from(geminiErrorEvent(json) + json);
}
