import { describe, expect, it } from 'vitest';
import type { UpstreamChannel } from '../channel.js';
import { anthropicClientError } from './anthropic-error.js';

const channel: UpstreamChannel = {
  type: 'anthropic',
  key: 'sk-ant-api03-SECRETSECRETSECRET',
  baseUrl: 'https://claude.internal.example',
  config: {},
};

function judged(status: number, type: string, message: string) {
  const body = JSON.stringify({ type: 'error', error: { type, message } });
  const failure = anthropicClientError(channel, status, body);
  return { status: failure.status, error: JSON.parse(failure.body).error };
}

describe('Anthropic errors', () => {
  it.each([
    [401, 'authentication_error', 'invalid x-api-key', 401, 'invalid_api_key'],
    [402, 'billing_error', 'Payment required', 402, 'insufficient_quota'],
    [
      400,
      'invalid_request_error',
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      402,
      'insufficient_quota',
    ],
    [403, 'permission_error', 'Your API key does not have permission', 403, null],
    [404, 'not_found_error', 'model: claude-nope', 404, 'model_not_found'],
    [
      413,
      'request_too_large',
      'Request exceeds the maximum allowed number of bytes.',
      413,
      'request_too_large',
    ],
    [
      429,
      'rate_limit_error',
      'Number of request tokens has exceeded your rate limit',
      429,
      'rate_limit_exceeded',
    ],
    [500, 'api_error', 'Internal server error', 500, null],
    [529, 'overloaded_error', 'Overloaded', 529, 'overloaded'],
    [400, 'invalid_request_error', 'messages: roles must alternate', 400, null],
  ])('answers %i %s as %i %s', (status, type, message, clientStatus, code) => {
    const { status: got, error } = judged(status, type, message);
    expect(got).toBe(clientStatus);
    expect(error).toMatchObject({ message, code, param: null });
  });

  it('keeps the 400 of a client mistake a client error (not retried, not disabling)', () => {
    expect(judged(400, 'invalid_request_error', 'max_tokens: Field required').error.type).toBe(
      'invalid_request_error',
    );
  });

  it('never shows the key or the channel address', () => {
    const { error } = judged(
      401,
      'authentication_error',
      `invalid x-api-key sk-ant-api03-SECRETSECRETSECRET at https://claude.internal.example/v1`,
    );
    expect(error.message).not.toContain('SECRET');
    expect(error.message).not.toContain('claude.internal.example');
  });

  it('answers a non-JSON body (a proxy page) with its status and a short message', () => {
    const failure = anthropicClientError(channel, 502, '<html>Bad gateway</html>');
    expect(failure.status).toBe(502);
    expect(JSON.parse(failure.body).error.message).toBe('<html>Bad gateway</html>');
    const empty = anthropicClientError(channel, 503, '');
    expect(JSON.parse(empty.body).error.message).toBe('upstream answered 503');
  });
});
