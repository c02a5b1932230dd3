import { describe, expect, it } from 'vitest';
import type { RelaySettings } from './settings.js';
import { shouldAutoDisable } from './upstream-failure.js';

const settings = { autoDisable: true, disableKeywords: ['account suspended'] } as RelaySettings;
const openAIError = (message: string, type = 'invalid_request_error', code: string | null = null) =>
  JSON.stringify({ error: { message, type, param: null, code } });

describe('shouldAutoDisable', () => {
  it.each([
    [
      '401',
      401,
      openAIError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
    ],
    ['402', 402, 'Payment Required'],
    [
      '429 insufficient_quota',
      429,
      openAIError('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
    ],
    [
      '403 account deactivated',
      403,
      openAIError(
        'This key is associated with a deactivated account',
        'invalid_request_error',
        'account_deactivated',
      ),
    ],
    ['403 organization disabled, no code', 403, 'Your organization has been disabled.'],
    [
      'an operator keyword in a 500',
      500,
      openAIError('Your account suspended for abuse', 'server_error'),
    ],
  ])('disables on the upstream word that the account is dead: %s', (_name, status, body) => {
    expect(shouldAutoDisable(status, body, settings)).toBe(true);
  });

  it.each([
    // The client controls these words: the upstream only echoes them.
    [
      'a 400 that echoes the client',
      400,
      openAIError(
        "Invalid value: 'billing'. Supported values are: 'system'",
        'invalid_request_error',
        'invalid_value',
      ),
    ],
    [
      'a 400 with a dead-key wording in it',
      400,
      openAIError("Unknown parameter: 'invalid api key'"),
    ],
    [
      'a 400 with the operator keyword echoed',
      400,
      openAIError("Unknown model 'account suspended'"),
    ],
    [
      'a 404 naming the client model',
      404,
      openAIError(
        'The model `insufficient_quota` does not exist',
        'invalid_request_error',
        'model_not_found',
      ),
    ],
    ['a 413', 413, 'billing'],
    ['a 422', 422, openAIError('exceeded your current quota')],
    [
      'a plain rate limit',
      429,
      openAIError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
    ],
    ['a 503 overload', 503, openAIError('The server is overloaded', 'server_error')],
  ])('leaves the channel alone on %s', (_name, status, body) => {
    expect(shouldAutoDisable(status, body, settings)).toBe(false);
  });

  it('does nothing when auto-disable is off', () => {
    expect(shouldAutoDisable(401, '', { ...settings, autoDisable: false })).toBe(false);
  });
});
