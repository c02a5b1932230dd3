import { describe, expect, it } from 'vitest';
import { claudeErrorBody, claudeErrorOfOpenAI, claudeErrorType } from './claude-error.js';

describe('claude errors', () => {
  it('names the error type the Anthropic SDKs expect for each status', () => {
    const statuses = [400, 401, 402, 403, 404, 413, 422, 429, 500, 502, 503, 504, 529];
    expect(statuses.map(claudeErrorType)).toEqual([
      'invalid_request_error',
      'authentication_error',
      'billing_error',
      'permission_error',
      'not_found_error',
      'request_too_large',
      'invalid_request_error',
      'rate_limit_error',
      'api_error',
      'api_error',
      'overloaded_error',
      'api_error',
      'overloaded_error',
    ]);
  });

  it('writes the Claude error body', () => {
    expect(JSON.parse(claudeErrorBody(429, 'Slow down'))).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down' },
    });
  });

  it("keeps the gateway's code visible in the message", () => {
    const openAI = JSON.stringify({
      error: {
        message: 'Incorrect API key provided.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    expect(claudeErrorOfOpenAI(401, openAI)).toBe(
      '{"type":"error","error":{"type":"authentication_error","message":"Incorrect API key provided. (invalid_api_key)"}}',
    );
  });

  it('leaves the message as it is without a code', () => {
    const openAI =
      '{"error":{"message":"Try later","type":"server_error","param":null,"code":null}}';
    expect(JSON.parse(claudeErrorOfOpenAI(503, openAI))).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Try later' },
    });
  });

  it('still answers in Claude shape when the body is not an OpenAI error', () => {
    expect(JSON.parse(claudeErrorOfOpenAI(502, '<html>Bad Gateway</html>\n'))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: '<html>Bad Gateway</html>' },
    });
    expect(JSON.parse(claudeErrorOfOpenAI(500, ''))).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The request failed with status 500.' },
    });
    expect(JSON.parse(claudeErrorOfOpenAI(400, '{"error":{"message":5,"code":1234}}'))).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'The request failed with status 400. (1234)',
      },
    });
  });
});
