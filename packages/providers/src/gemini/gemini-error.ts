import type { ClientFailure } from '../adapter.js';
import type { UpstreamChannel } from '../channel.js';
import { openAIErrorBody } from '../openai-error.js';
import { scrubChannel } from '../scrub.js';
import { isRecord, parseJson, recordsOf, stringOf } from '../json-values.js';

export interface GeminiFailure {
  status: number;
  message: string;
  type: string;
  code: string | null;
}

/** ErrorInfo reasons by which Google says the key or its project may not be used at all. */
const DEAD_KEY_REASONS = new Set([
  'API_KEY_INVALID',
  'API_KEY_SERVICE_BLOCKED',
  'API_KEY_HTTP_REFERRER_BLOCKED',
  'API_KEY_IP_ADDRESS_BLOCKED',
  'CONSUMER_SUSPENDED',
  'CONSUMER_INVALID',
  'SERVICE_DISABLED',
]);

/**
 * A Google error body, `{"error":{code,message,status,details}}`, judged as OpenAI would word
 * it, so the relay's rules apply: a key Google does not know (400 with API_KEY_INVALID) is 401
 * `invalid_api_key`; a denied or suspended key or project 403 `invalid_api_key`; billing off or
 * prepaid credit spent `insufficient_quota`; other RESOURCE_EXHAUSTED 429 `rate_limit_exceeded`;
 * NOT_FOUND 404 `model_not_found`; the rest keeps its status. Google's messages can quote what
 * the client sent (a MIME type, a file URI), so words count only where Google's own sentence
 * starts; the ErrorInfo reasons cannot be the client's.
 */
export function geminiError(body: unknown, status: number): GeminiFailure {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = stringOf(error.message) || `upstream answered ${status}`;
  const googleStatus = stringOf(error.status) ?? '';
  const reasons = recordsOf(error.details).map((detail) => stringOf(detail.reason) ?? '');
  const said = (pattern: RegExp) => pattern.test(message.trimStart().toLowerCase());
  const failure = (type: string, code: string | null, as = status) => ({
    status: as,
    message,
    type,
    code,
  });
  if (reasons.includes('API_KEY_INVALID') || said(/^api key (not valid|not found|expired)/)) {
    return failure('invalid_request_error', 'invalid_api_key', 401);
  }
  const refused = status === 403 || status === 429;
  if (refused && (reasons.includes('BILLING_DISABLED') || said(/^your prepayment credits/))) {
    return failure('insufficient_quota', 'insufficient_quota');
  }
  if (googleStatus === 'PERMISSION_DENIED' || status === 403) {
    const dead =
      reasons.some((reason) => DEAD_KEY_REASONS.has(reason)) ||
      said(/^(permission denied: consumer .+ has been suspended|your project has been denied)/);
    return failure('permission_error', dead ? 'invalid_api_key' : null, 403);
  }
  if (googleStatus === 'UNAUTHENTICATED' || status === 401) {
    return failure('invalid_request_error', 'invalid_api_key', 401);
  }
  if (googleStatus === 'RESOURCE_EXHAUSTED' || status === 429) {
    return failure('rate_limit_error', 'rate_limit_exceeded', 429);
  }
  if (googleStatus === 'NOT_FOUND' || status === 404) {
    return failure('invalid_request_error', 'model_not_found', 404);
  }
  if (status >= 400 && status < 500) return failure('invalid_request_error', null);
  return failure('upstream_error', null);
}

/** An upstream error answer as the client gets it, without the channel's key or address. */
export function geminiClientError(
  channel: UpstreamChannel,
  status: number,
  text: string,
): ClientFailure {
  const scrubbed = scrubChannel(channel, text);
  const parsed = parseJson(scrubbed);
  if (!isRecord(parsed) || !isRecord(parsed.error)) {
    return { status, body: openAIErrorBody(scrubbed.slice(0, 1000) || 'upstream error') };
  }
  const failure = geminiError(parsed, status);
  return {
    status: failure.status,
    body: openAIErrorBody(failure.message, failure.type, failure.code),
  };
}
