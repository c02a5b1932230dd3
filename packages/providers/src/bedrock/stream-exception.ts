import type { SseError } from '../openai-sse/error-event.js';

// Bedrock's exceptions inside a stream (InvokeModelWithResponseStream's error events), named
// in camelCase by the :exception-type header, and the OpenAI error a client's library expects.
const KNOWN: Record<string, { type: string; code: string }> = {
  throttlingexception: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  modelstreamerrorexception: { type: 'upstream_error', code: 'model_error' },
  modeltimeoutexception: { type: 'upstream_error', code: 'model_timeout' },
  internalserverexception: { type: 'upstream_error', code: 'server_error' },
  serviceunavailableexception: { type: 'upstream_error', code: 'service_unavailable' },
  validationexception: { type: 'invalid_request_error', code: 'invalid_request' },
};

/** The client's error event for an exception message in a Bedrock event stream. */
export function streamExceptionError(exceptionType: string, message: string): SseError {
  const known = KNOWN[exceptionType.toLowerCase()] ?? {
    type: 'upstream_error',
    code: 'upstream_error',
  };
  return { message: `${exceptionType}: ${message}`.slice(0, 2000), ...known };
}
