import { describe, expect, it } from 'vitest';
import { RequestNotSupportedError } from '../errors.js';
import { fixture } from '../gemini/fixtures.js';
import { chatClientRequest } from '../testing/samples.js';
import { geminiClientRequest } from './fixtures.js';
import { geminiPassthrough } from './gemini-passthrough.js';

const channel = {
  type: 'gemini',
  key: 'AIza-upstream',
  baseUrl: 'http://upstream.test/v1beta/',
  config: {},
};

// Spaced and ordered as the client wrote it, with what only Google serves.
const RAW =
  '{ "contents": [{"role": "user", "parts": [{"text": "Bonjour 👋"}]}],' +
  ' "tools": [{"googleSearch": {}}], "cachedContent": "cachedContents/abc" }';

function request(stream: boolean) {
  const hub = geminiClientRequest({ contents: [{ parts: [{ text: 'Bonjour 👋' }] }] }, { stream });
  const json = JSON.parse(RAW) as Record<string, unknown>;
  return {
    ...hub,
    native: { format: 'gemini' as const, raw: Buffer.from(RAW), json, headers: {} },
  };
}

describe('geminiPassthrough', () => {
  it("sends the client's bytes as they came to generateContent with the channel's key", () => {
    const upstream = geminiPassthrough.buildRequest(channel, request(false));
    expect(upstream).toEqual({
      url: 'http://upstream.test/v1beta/models/gemini-2.5-flash:generateContent',
      headers: { 'x-goog-api-key': 'AIza-upstream', 'content-type': 'application/json' },
      body: Buffer.from(RAW),
      injectedUsage: false,
    });
  });

  it('streams with alt=sse and maps the model in the URL alone', () => {
    const mapped = {
      ...channel,
      baseUrl: '',
      modelMapping: { 'gemini-2.5-flash': 'gemini-2.5-flash-001' },
    };
    const upstream = geminiPassthrough.buildRequest(mapped, request(true));
    if (upstream instanceof Promise) throw new Error('a plain call');
    expect(upstream.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-001:streamGenerateContent?alt=sse',
    );
    expect(upstream.body.toString()).toBe(RAW);
  });

  it('refuses a request that is not a Gemini client', () => {
    expect(() =>
      geminiPassthrough.buildRequest(channel, chatClientRequest('gemini-2.5-flash')),
    ).toThrow(RequestNotSupportedError);
  });

  it("reads Gemini's usage and text, and hands the answer back untouched", () => {
    const body = fixture('generate-content.json');
    expect(geminiPassthrough.clientAnswer(body, request(false))).toBe(body);
    expect(geminiPassthrough.usageOf(body.toString())).toEqual({
      promptTokens: 14,
      completionTokens: 49,
      cachedTokens: 4,
    });
    expect(geminiPassthrough.completionTextOf(body.toString())).toContain('Grey waves fold');
  });

  it("judges Google's errors as OpenAI words them, without the key", () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'API key not valid: AIza-upstream. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
        ],
      },
    });
    const failure = geminiPassthrough.clientError(channel, 400, body);
    expect(failure.status).toBe(401);
    expect(failure.body).not.toContain('AIza-upstream');
    expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});
