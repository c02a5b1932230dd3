import { describe, expect, it } from 'vitest';
import { RequestNotSupportedError } from '../errors.js';
import { chatClientRequest } from '../testing/samples.js';
import { responsesClientRequest } from './fixtures.js';
import { openAIResponsesPassthrough } from './openai-responses-passthrough.js';

const channel = {
  type: 'openai',
  key: 'sk-upstream',
  baseUrl: 'http://upstream.test/',
  config: {},
};

// Spaced and ordered as the client wrote it, with fields the gateway does not know.
const RAW =
  '{ "model": "gpt-5-mini", "input": "Bonjour 👋", "previous_response_id": "resp_1",' +
  ' "tools": [{"type": "web_search"}], "store": true }';
// The hub request stands for one the gateway could convert; the client's own goes upstream.
const request = {
  ...responsesClientRequest({ model: 'gpt-5-mini', input: 'Bonjour 👋' }),
  native: {
    format: 'responses' as const,
    raw: Buffer.from(RAW),
    json: JSON.parse(RAW) as Record<string, unknown>,
    headers: {},
  },
};

const ANSWER = {
  id: 'resp_68af',
  object: 'response',
  status: 'completed',
  output: [
    { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think. ' }] },
    {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Salut', annotations: [] }],
    },
    { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '{"a":1}' },
  ],
  usage: {
    input_tokens: 1290,
    input_tokens_details: { cached_tokens: 1152 },
    output_tokens: 86,
    output_tokens_details: { reasoning_tokens: 64 },
    total_tokens: 1376,
  },
};

describe('openAIResponsesPassthrough', () => {
  it("sends the client's bytes as they came to /v1/responses with the channel's key", () => {
    const upstream = openAIResponsesPassthrough.buildRequest(channel, request);
    expect(upstream).toEqual({
      url: 'http://upstream.test/v1/responses',
      headers: { authorization: 'Bearer sk-upstream', 'content-type': 'application/json' },
      body: request.native?.raw,
      injectedUsage: false,
    });
  });

  it("uses the type's default address and rewrites only a mapped model", () => {
    const mapped = {
      ...channel,
      baseUrl: '',
      modelMapping: { 'gpt-5-mini': 'gpt-5-mini-2025-08-07' },
    };
    const upstream = openAIResponsesPassthrough.buildRequest(mapped, request);
    if (upstream instanceof Promise) throw new Error('a plain call');
    expect(upstream.url).toBe('https://api.openai.com/v1/responses');
    expect(JSON.parse(String(upstream.body))).toEqual({
      ...(JSON.parse(RAW) as object),
      model: 'gpt-5-mini-2025-08-07',
    });
  });

  it('refuses a request that is not a Responses client', () => {
    expect(() =>
      openAIResponsesPassthrough.buildRequest(channel, chatClientRequest('gpt-4o')),
    ).toThrow(RequestNotSupportedError);
  });

  it("reads a Response's usage, with the same range checks as chat usage", () => {
    const usageOf = (usage: unknown) =>
      openAIResponsesPassthrough.usageOf(JSON.stringify({ ...ANSWER, usage }));
    expect(usageOf(ANSWER.usage)).toEqual({
      promptTokens: 1290,
      completionTokens: 86,
      cachedTokens: 1152,
    });
    expect(usageOf({ input_tokens: 5 })).toEqual({ promptTokens: 5, completionTokens: 0 });
    expect(usageOf(null)).toBeUndefined();
    expect(usageOf({ input_tokens: 5, output_tokens: -1 })).toBeUndefined();
    expect(usageOf({ input_tokens: 1.5, output_tokens: 1 })).toBeUndefined();
    expect(usageOf({ input_tokens: 200_000_000, output_tokens: 1 })).toBeUndefined();
    expect(openAIResponsesPassthrough.usageOf('not json')).toBeUndefined();
  });

  it('hands the answer back untouched, and reads its generated text for counting', () => {
    const body = Buffer.from(JSON.stringify(ANSWER));
    expect(openAIResponsesPassthrough.clientAnswer(body, request)).toBe(body);
    expect(openAIResponsesPassthrough.completionTextOf(body.toString())).toBe(
      'Think. Salut{"a":1}',
    );
    expect(openAIResponsesPassthrough.completionTextOf('{"output":7}')).toBe('');
  });

  it("keeps OpenAI's error bodies, which Responses clients read, without the key", () => {
    const body =
      '{"error":{"message":"Incorrect API key provided: sk-upstream.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}';
    const failure = openAIResponsesPassthrough.clientError(channel, 401, body);
    expect(failure.status).toBe(401);
    expect(failure.body).not.toContain('sk-upstream');
    expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});
