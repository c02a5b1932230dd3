import { describe, expect, it } from 'vitest';
import { RelayError } from './relay-error.js';

describe('RelayError', () => {
  it.each([
    [new RelayError('invalid_api_key'), 401, 'invalid_request_error'],
    [new RelayError('token_expired'), 401, 'invalid_request_error'],
    [new RelayError('token_exhausted'), 401, 'insufficient_quota'],
    [new RelayError('token_disabled'), 401, 'invalid_request_error'],
    [new RelayError('insufficient_user_quota'), 403, 'insufficient_quota'],
    [new RelayError('user_disabled'), 403, 'invalid_request_error'],
    [new RelayError('ip_not_allowed', { ip: '10.1.2.3' }), 403, 'invalid_request_error'],
    [new RelayError('model_not_allowed', { model: 'gpt-4o' }), 403, 'invalid_request_error'],
    [new RelayError('model_price_not_set', { model: 'gpt-4o' }), 403, 'invalid_request_error'],
    [new RelayError('channel_pin_not_allowed'), 403, 'invalid_request_error'],
    [new RelayError('model_not_available', { model: 'gpt-4o', group: 'vip' }), 503, 'server_error'],
  ])('$code → $statusCode', (error, statusCode, type) => {
    expect(error).toBeInstanceOf(Error);
    expect(error.statusCode).toBe(statusCode);
    expect(error.toBody()).toEqual({
      error: { message: error.message, type, param: null, code: error.code },
    });
    expect(error.message).toMatch(/^[A-Z].*\.$/);
  });

  it('names the model, the IP and the group a developer needs to fix the request', () => {
    expect(new RelayError('model_not_allowed', { model: 'gpt-4o-mini' }).message).toContain(
      '`gpt-4o-mini`',
    );
    expect(new RelayError('ip_not_allowed', { ip: '2001:db8::1' }).message).toContain(
      '2001:db8::1',
    );
    const unavailable = new RelayError('model_not_available', { model: 'o3', group: 'vip' });
    expect(unavailable.message).toContain('`o3`');
    expect(unavailable.message).toContain('`vip`');
  });

  it('serializes to the OpenAI error body', () => {
    const body = JSON.parse(JSON.stringify(new RelayError('invalid_api_key').toBody())) as unknown;
    expect(body).toEqual({
      error: {
        message: expect.stringContaining('API key') as unknown,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
  });
});
