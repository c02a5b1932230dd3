import { messageWithCode } from '../openai-error.js';

/**
 * Google's canonical status name (google.rpc.Code) for an HTTP status, as Gemini's error bodies
 * carry it. A spent balance (402) is FAILED_PRECONDITION, as Google words billing that is not
 * set up, and not RESOURCE_EXHAUSTED, which clients retry as a rate limit.
 */
export function geminiStatusName(status: number): string {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 402:
      return 'FAILED_PRECONDITION';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 408:
    case 504:
      return 'DEADLINE_EXCEEDED';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 502:
    case 503:
    case 529:
      return 'UNAVAILABLE';
    default:
      if (status >= 400 && status < 500) return 'INVALID_ARGUMENT';
      return status >= 500 && status < 600 ? 'INTERNAL' : 'UNKNOWN';
  }
}

/** A Gemini error body, `{"error":{code,message,status}}` (code: the HTTP status), as JSON. */
export function geminiErrorBody(status: number, message: string): string {
  return JSON.stringify({ error: { code: status, message, status: geminiStatusName(status) } });
}

/**
 * An OpenAI error body as a Gemini client reads it. Gemini's `code` is the HTTP status, so the
 * gateway's own code goes at the end of the message.
 */
export function geminiErrorOfOpenAI(status: number, openAIBody: string): string {
  return geminiErrorBody(status, messageWithCode(status, openAIBody));
}
