import type { ClientFailure } from '../adapter.js';
import type { UpstreamChannel } from '../channel.js';
import { openAIErrorBody } from '../openai-error.js';
import { scrubChannel } from '../scrub.js';
import { isRecord, parseJson, stringOf } from '../json-values.js';

export interface AnthropicFailure {
  status: number;
  message: string;
  type: string;
  code: string | null;
}

/**
 * An Anthropic error (`{"type":"error","error":{type,message}}`) judged as OpenAI would word it,
 * so the relay's failover and auto-disable rules apply: a refused key 401 `invalid_api_key`; a
 * billing error, or the 400 Anthropic sends when the credit balance is too low, 402
 * `insufficient_quota`; a missing model 404 `model_not_found`; rate limits 429
 * `rate_limit_exceeded`; an overloaded API 529 `overloaded` (retried elsewhere as a 5xx).
 */
export function anthropicError(body: unknown, status: number): AnthropicFailure {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const kind = stringOf(error.type) ?? '';
  const message = stringOf(error.message) || `upstream answered ${status}`;
  const failure = (type: string, code: string | null, as = status): AnthropicFailure => ({
    status: as,
    message,
    type,
    code,
  });
  if (kind === 'authentication_error' || status === 401) {
    return failure('invalid_request_error', 'invalid_api_key', 401);
  }
  if (kind === 'billing_error' || status === 402 || /credit balance is too low/i.test(message)) {
    return failure('insufficient_quota', 'insufficient_quota', 402);
  }
  if (kind === 'permission_error' || status === 403) return failure('permission_error', null, 403);
  if (kind === 'not_found_error' || status === 404) {
    return failure('invalid_request_error', 'model_not_found', 404);
  }
  if (kind === 'request_too_large' || status === 413) {
    return failure('invalid_request_error', 'request_too_large', 413);
  }
  if (kind === 'rate_limit_error' || status === 429) {
    return failure('rate_limit_error', 'rate_limit_exceeded', 429);
  }
  if (kind === 'overloaded_error' || status === 529) {
    return failure('server_error', 'overloaded', 529);
  }
  if (kind === 'api_error' || status >= 500)
    return failure('server_error', null, status >= 500 ? status : 500);
  return failure('invalid_request_error', null);
}

/** An upstream error answer as the client gets it, without the channel's key or address. */
export function anthropicClientError(
  channel: UpstreamChannel,
  status: number,
  text: string,
): ClientFailure {
  const scrubbed = scrubChannel(channel, text);
  const parsed = parseJson(scrubbed);
  if (!isRecord(parsed) || !isRecord(parsed.error)) {
    return {
      status,
      body: openAIErrorBody(scrubbed.slice(0, 1000) || `upstream answered ${status}`),
    };
  }
  const failure = anthropicError(parsed, status);
  return {
    status: failure.status,
    body: openAIErrorBody(failure.message, failure.type, failure.code),
  };
}
