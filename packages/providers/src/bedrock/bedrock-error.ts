import type { ClientFailure } from '../adapter.js';
import type { UpstreamChannel } from '../channel.js';
import { openAIErrorBody } from '../openai-error.js';
import { scrubChannel } from '../scrub.js';

// Bedrock names the exception in the x-amzn-errortype header, which readers do not see; its
// 403s for bad credentials word it in the message, unlike a model whose access is not granted.
const BAD_CREDENTIALS = [
  /security token included in the request is (invalid|expired)/i,
  /signature we calculated does not match/i,
  /UnrecognizedClient/i,
  /InvalidSignature/i,
  /ExpiredToken/i,
  /access key id/i,
];

// Two account states Bedrock sends as 400 and 404. Matched from the message's start only: a
// validation message can echo the client's text, which must not pass for the channel's failure.
const USE_CASE_FORM = /^Model use case details have not been submitted/i;
const SERVICE_QUOTA = /^Your request exceeds the service quota/i;

/**
 * A Bedrock error answer (`{"message":"…"}`) as an OpenAI error, with the status that makes the
 * relay do the right thing: refused credentials are 401 (the channel is disabled), a model not
 * granted 403 and throttling 429 (another channel is tried), a model's or the service's failure 5xx.
 */
export function bedrockClientError(
  channel: UpstreamChannel,
  status: number,
  body: string,
): ClientFailure {
  const message = scrubChannel(channel, bedrockMessage(body) ?? `AWS Bedrock answered ${status}`);
  const failure = (to: number, type: string, code: string | null = null): ClientFailure => ({
    status: to,
    body: openAIErrorBody(message, type, code),
  });
  if (status === 401 || (status === 403 && BAD_CREDENTIALS.some((word) => word.test(message)))) {
    return failure(401, 'authentication_error', 'invalid_api_key');
  }
  // FTUFormNotFilled (404): the account has not yet asked for Claude, as a model not granted.
  if (status === 403 || (status === 404 && USE_CASE_FORM.test(message))) {
    return failure(403, 'permission_error', 'model_access_denied');
  }
  if (status === 404) return failure(404, 'invalid_request_error', 'model_not_found');
  // ServiceQuotaExceededException (400) is the account's quota, to resubmit later: not the request.
  if (status === 429 || (status === 400 && SERVICE_QUOTA.test(message))) {
    return failure(429, 'rate_limit_error', 'rate_limit_exceeded');
  }
  // ModelErrorException (424) and ModelTimeoutException (408) are the model's failure, not the
  // request's: another channel may answer.
  if (status === 424) return failure(502, 'upstream_error', 'model_error');
  if (status === 408) return failure(504, 'upstream_error', 'model_timeout');
  if (status >= 500) return failure(status, 'upstream_error');
  return failure(status >= 400 ? status : 502, 'invalid_request_error');
}

function bedrockMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown } | null;
    const text = parsed?.message ?? parsed?.Message;
    if (typeof text === 'string' && text.trim()) return text.trim().slice(0, 2000);
  } catch {
    // Not JSON (a proxy's HTML page): a short piece of the text says more than nothing.
  }
  const text = body.trim();
  return text ? text.slice(0, 500) : undefined;
}
