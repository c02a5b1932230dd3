import { messageWithCode } from '../openai-error.js';

/** Anthropic's error type for an HTTP status, which the Anthropic SDKs read with it. */
export function claudeErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error';
  }
}

/** A Claude error body: `{"type":"error","error":{type,message}}`, as JSON text. */
export function claudeErrorBody(status: number, message: string): string {
  return JSON.stringify({ type: 'error', error: { type: claudeErrorType(status), message } });
}

/**
 * An OpenAI error body as a Claude client reads it. Claude errors have no code field, so the
 * gateway's own code goes at the end of the message.
 */
export function claudeErrorOfOpenAI(status: number, openAIBody: string): string {
  return claudeErrorBody(status, messageWithCode(status, openAIBody));
}
