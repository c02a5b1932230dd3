import { describe, expect, it } from 'vitest';
import type { UpstreamChannel } from '../channel.js';
import { geminiReader } from './gemini-reader.js';

const channel: UpstreamChannel = {
  type: 'gemini',
  key: 'AIzaSyD-gemini-test-key-0123456789',
  baseUrl: 'https://gemini.internal.example',
  config: {},
};

function googleError(code: number, status: string, message: string, reasons: string[] = []) {
  return JSON.stringify({
    error: {
      code,
      message,
      status,
      details: reasons.map((reason) => ({
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason,
        domain: 'googleapis.com',
      })),
    },
  });
}

function judged(status: number, body: string) {
  const failure = geminiReader.clientError(channel, status, body);
  return { status: failure.status, error: JSON.parse(failure.body).error };
}

describe('Gemini errors', () => {
  it('takes a key Google does not know (400 API_KEY_INVALID) as 401 invalid_api_key', () => {
    const body = googleError(
      400,
      'INVALID_ARGUMENT',
      'API key not valid. Please pass a valid API key.',
      ['API_KEY_INVALID'],
    );
    expect(judged(400, body)).toEqual({
      status: 401,
      error: {
        message: 'API key not valid. Please pass a valid API key.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    // Without details, the wording is enough.
    expect(
      judged(
        400,
        googleError(400, 'INVALID_ARGUMENT', 'API Key not found. Please pass a valid API key.'),
      ).status,
    ).toBe(401);
  });

  it('marks a suspended or denied key as an account failure, other 403s not', () => {
    const suspended = googleError(
      403,
      'PERMISSION_DENIED',
      "Permission denied: Consumer 'api_key:x' has been suspended.",
      ['CONSUMER_SUSPENDED'],
    );
    expect(judged(403, suspended)).toMatchObject({
      status: 403,
      error: { code: 'invalid_api_key' },
    });
    const denied = googleError(
      403,
      'PERMISSION_DENIED',
      'Your project has been denied access. Please contact support.',
    );
    expect(judged(403, denied)).toMatchObject({ status: 403, error: { code: 'invalid_api_key' } });
    const file = googleError(
      403,
      'PERMISSION_DENIED',
      'You do not have permission to access the File abc.',
    );
    expect(judged(403, file)).toMatchObject({ status: 403, error: { code: null } });
  });

  it('tells a rate limit from spent money', () => {
    const limited = googleError(
      429,
      'RESOURCE_EXHAUSTED',
      'You exceeded your current quota, please check your plan and billing details.',
    );
    expect(judged(429, limited)).toMatchObject({
      status: 429,
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    });
    const spent = googleError(
      429,
      'RESOURCE_EXHAUSTED',
      'Your prepayment credits are depleted. Please go to AI Studio to manage your project and billing.',
    );
    expect(judged(429, spent)).toMatchObject({
      status: 429,
      error: { code: 'insufficient_quota' },
    });
    const billing = googleError(
      403,
      'PERMISSION_DENIED',
      'This API method requires billing to be enabled.',
      ['BILLING_DISABLED'],
    );
    expect(judged(403, billing)).toMatchObject({
      status: 403,
      error: { code: 'insufficient_quota' },
    });
  });

  it('cannot be made to take a channel down by client words Google quotes back', () => {
    const quoted = [
      [400, 'INVALID_ARGUMENT', 'Unsupported MIME type: api key not valid'],
      [400, 'INVALID_ARGUMENT', 'Invalid value: Your prepayment credits are depleted'],
      [
        403,
        'PERMISSION_DENIED',
        'You do not have permission to access the File has been suspended api key.',
      ],
      [429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for your prepayment credits are depleted'],
    ] as const;
    for (const [code, status, message] of quoted) {
      const { error } = judged(code, googleError(code, status, message));
      expect(error.code === 'invalid_api_key' || error.code === 'insufficient_quota').toBe(false);
    }
    expect(
      judged(400, googleError(400, 'INVALID_ARGUMENT', 'Unsupported MIME type: api key not valid'))
        .status,
    ).toBe(400);
  });

  it('names a missing model, keeps server errors and plain 400s as they are', () => {
    const missing = googleError(
      404,
      'NOT_FOUND',
      'models/gemini-9 is not found for API version v1beta.',
    );
    expect(judged(404, missing)).toMatchObject({ status: 404, error: { code: 'model_not_found' } });
    const overloaded = googleError(
      503,
      'UNAVAILABLE',
      'The model is overloaded. Please try again later.',
    );
    expect(judged(503, overloaded)).toMatchObject({
      status: 503,
      error: { type: 'upstream_error' },
    });
    const bad = googleError(400, 'INVALID_ARGUMENT', "Invalid value at 'contents[0].role'");
    expect(judged(400, bad)).toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', code: null },
    });
  });

  it('never shows the key or the address, not even from a body that is not JSON', () => {
    const echoed = googleError(
      400,
      'INVALID_ARGUMENT',
      `API key not valid: ${channel.key} at ${channel.baseUrl}`,
    );
    const failure = geminiReader.clientError(channel, 400, echoed);
    expect(failure.body).not.toContain(channel.key);
    expect(failure.body).not.toContain(channel.baseUrl);
    const html = geminiReader.clientError(channel, 502, `<html>Bad gateway ${channel.key}</html>`);
    expect(html.status).toBe(502);
    expect(html.body).not.toContain(channel.key);
    expect(JSON.parse(html.body).error.message).toContain('Bad gateway');
    expect(JSON.parse(geminiReader.clientError(channel, 500, '').body).error.message).toBe(
      'upstream error',
    );
  });
});
