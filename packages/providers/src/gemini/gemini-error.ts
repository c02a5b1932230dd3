import type { ClientFailure } from '../adapter.js';
import type { UpstreamChannel } from '../channel.js';
import { openAIErrorBody } from '../openai-error.js';
import { scrubChannel } from '../scrub.js';
import { isRecord, parseJson, recordsOf, stringOf } from './json-values.js';

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
 * NOT_FOUND 404 `model_not_found`; the rest keeps its status.
 */
export function geminiError(body: unknown, status: number): GeminiFailure {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const message = stringOf(error.message) || `upstream answered ${status}`;
  const googleStatus = stringOf(error.status) ?? '';
  const httpStatus = status;
  const reasons = recordsOf(error.details).map((detail) => stringOf(detail.reason) ?? '');
  const text = message.toLowerCase();
  if (reasons.includes('API_KEY_INVALID') || /api key (not valid|not found|expired)/.test(text)) {
    return { status: 401, message, type: 'invalid_request_error', code: 'invalid_api_key' };
  }
  if (
    reasons.includes('BILLING_DISABLED') ||
    /credits? (are |is )?(depleted|exhausted)|prepa(y|id)/.test(text)
  ) {
    return {
      status: httpStatus === 429 ? 429 : 403,
      message,
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    };
  }
  if (googleStatus === 'PERMISSION_DENIED' || httpStatus === 403) {
    const dead =
      reasons.some((reason) => DEAD_KEY_REASONS.has(reason)) ||
      /suspended|denied access|has been disabled|api key/.test(text);
    return {
      status: 403,
      message,
      type: 'permission_error',
      code: dead ? 'invalid_api_key' : null,
    };
  }
  if (googleStatus === 'UNAUTHENTICATED' || httpStatus === 401) {
    return { status: 401, message, type: 'invalid_request_error', code: 'invalid_api_key' };
  }
  if (googleStatus === 'RESOURCE_EXHAUSTED' || httpStatus === 429) {
    return { status: 429, message, type: 'rate_limit_error', code: 'rate_limit_exceeded' };
  }
  if (googleStatus === 'NOT_FOUND' || httpStatus === 404) {
    return { status: 404, message, type: 'invalid_request_error', code: 'model_not_found' };
  }
  if (httpStatus >= 400 && httpStatus < 500) {
    return { status: httpStatus, message, type: 'invalid_request_error', code: null };
  }
  return { status, message, type: 'upstream_error', code: null };
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
