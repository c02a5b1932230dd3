import { describe, expect, it } from 'vitest';
import { geminiErrorBody, geminiErrorOfOpenAI, geminiStatusName } from './gemini-client-error.js';

describe('gemini errors', () => {
  it("names Google's canonical status for each HTTP status", () => {
    const statuses = [
      400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 499, 500, 501, 502, 503, 504, 529, 200,
    ];
    expect(statuses.map(geminiStatusName)).toEqual([
      'INVALID_ARGUMENT',
      'UNAUTHENTICATED',
      'FAILED_PRECONDITION',
      'PERMISSION_DENIED',
      'NOT_FOUND',
      'DEADLINE_EXCEEDED',
      'ABORTED',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'RESOURCE_EXHAUSTED',
      'CANCELLED',
      'INTERNAL',
      'UNIMPLEMENTED',
      'UNAVAILABLE',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'UNAVAILABLE',
      'UNKNOWN',
    ]);
  });

  it('writes the Gemini error body', () => {
    expect(JSON.parse(geminiErrorBody(429, 'Slow down'))).toEqual({
      error: { code: 429, message: 'Slow down', status: 'RESOURCE_EXHAUSTED' },
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
    expect(geminiErrorOfOpenAI(401, openAI)).toBe(
      '{"error":{"code":401,"message":"Incorrect API key provided. (invalid_api_key)","status":"UNAUTHENTICATED"}}',
    );
  });

  it('leaves the message as it is without a code', () => {
    const openAI =
      '{"error":{"message":"Try later","type":"server_error","param":null,"code":null}}';
    expect(JSON.parse(geminiErrorOfOpenAI(503, openAI))).toEqual({
      error: { code: 503, message: 'Try later', status: 'UNAVAILABLE' },
    });
  });

  it('still answers in Gemini shape when the body is not an OpenAI error', () => {
    expect(JSON.parse(geminiErrorOfOpenAI(502, '<html>Bad Gateway</html>\n'))).toEqual({
      error: { code: 502, message: '<html>Bad Gateway</html>', status: 'UNAVAILABLE' },
    });
    expect(JSON.parse(geminiErrorOfOpenAI(500, ''))).toEqual({
      error: { code: 500, message: 'The request failed with status 500.', status: 'INTERNAL' },
    });
    expect(JSON.parse(geminiErrorOfOpenAI(400, '{"error":{"message":5,"code":1234}}'))).toEqual({
      error: {
        code: 400,
        message: 'The request failed with status 400. (1234)',
        status: 'INVALID_ARGUMENT',
      },
    });
  });
});
