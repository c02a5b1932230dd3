import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from '../adapter.js';
import type { UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { GEMINI_UNSAFE_MARKER } from '../testing/fake-gemini.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { adapterFor } from '../adapter-for.js';
import { testChannel } from '../test-channel.js';
import { geminiAdapter } from './gemini-adapter.js';
import { toGenerateContentRequest } from './generate-content-request.js';

const KEY = 'AIzaSy-gemini-channel-key-0123456789';
const REPLY = 'Hello from the fake Gemini upstream.';
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let fake: FakeUpstream;
let channel: UpstreamChannel;
beforeAll(async () => {
  fake = await startFakeUpstream({ keys: [KEY], reply: REPLY });
  channel = {
    type: 'gemini',
    key: KEY,
    baseUrl: fake.url,
    config: {},
    modelMapping: { 'gpt-4o-mini': 'gemini-2.5-flash' },
  };
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

function client(json: Record<string, unknown>, path = '/v1/chat/completions'): ClientRequest {
  const options = json.stream_options as { include_usage?: boolean } | undefined;
  return {
    path,
    model: json.model as string,
    raw: Buffer.from(JSON.stringify(json)),
    json,
    contentType: 'application/json',
    stream: json.stream === true,
    clientWantsUsage: options?.include_usage === true,
  };
}

async function send(upstream: UpstreamRequest) {
  const res = await fetch(upstream.url, {
    method: 'POST',
    headers: upstream.headers,
    body: upstream.body,
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A chat request sent through the adapter to the fake, its answer read as the relay would. */
async function chat(json: Record<string, unknown>) {
  const request = client({ model: 'gpt-4o-mini', ...json });
  const upstream = await geminiAdapter.buildRequest(channel, request);
  const { status, bytes } = await send(upstream);
  if (status !== 200)
    return {
      status,
      upstream,
      failure: geminiAdapter.clientError(channel, status, bytes.toString()),
    };
  if (!request.stream) {
    const answer = JSON.parse(geminiAdapter.clientAnswer(bytes, request).toString());
    return { status, upstream, answer, usage: geminiAdapter.usageOf(bytes.toString()) };
  }
  const tap = geminiAdapter.streamTap({
    stripUsageChunk: upstream.injectedUsage,
    collectText: true,
    request,
  });
  // Fed a byte at a time, as slow networks deliver it.
  const out = [...bytes].map((_, i) => tap.push(bytes.subarray(i, i + 1)));
  out.push(tap.end());
  const events = Buffer.concat(out)
    .toString()
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6));
  return { status, upstream, events, usage: tap.usage, tap };
}

describe('the Gemini adapter against the fake Gemini', () => {
  it('sends the exact request Gemini wants: mapped model in the path, key in a header', async () => {
    const json = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      max_tokens: 50,
    };
    const { answer, usage } = await chat(json);
    const [record] = fake.requests;
    expect(record?.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(record?.headers['x-goog-api-key']).toBe(KEY);
    expect(record?.headers['content-type']).toBe('application/json');
    expect(record?.headers.authorization).toBeUndefined();
    expect(record?.body).toEqual(toGenerateContentRequest(json));
    expect(answer).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' },
      ],
      usage: {
        prompt_tokens: record?.usage?.prompt_tokens,
        completion_tokens: record?.usage?.completion_tokens,
      },
    });
    expect(usage).toEqual({
      promptTokens: record?.usage?.prompt_tokens,
      completionTokens: record?.usage?.completion_tokens,
    });
  });

  it('streams every word with the usage at the end when the client asked for it', async () => {
    const result = await chat({
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(fake.requests[0]?.url).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    const chunks = result.events!.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe(REPLY);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: fake.requests[0]?.usage?.prompt_tokens,
        completion_tokens: fake.requests[0]?.usage?.completion_tokens,
      },
    });
    expect(result.events!.at(-1)).toBe('[DONE]');
    expect(result.tap!.contentType).toBe('text/event-stream');
  });

  it('keeps the usage for billing but off the client stream when it did not ask', async () => {
    const result = await chat({ messages: [{ role: 'user', content: 'Say hello' }], stream: true });
    expect(result.upstream.injectedUsage).toBe(true);
    expect(result.events!.join('\n')).not.toContain('"usage"');
    expect(result.usage).toEqual({
      promptTokens: fake.requests[0]?.usage?.prompt_tokens,
      completionTokens: fake.requests[0]?.usage?.completion_tokens,
    });
  });

  it('goes round a tool call: the call, then its result sent back and accepted', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
            additionalProperties: false,
          },
        },
      },
    ];
    const messages: Record<string, unknown>[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await chat({ messages, tools });
    expect(first.status).toBe(200);
    const message = first.answer.choices[0].message;
    expect(first.answer.choices[0].finish_reason).toBe('tool_calls');
    expect(message.tool_calls[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
    });
    messages.push(message, {
      role: 'tool',
      tool_call_id: message.tool_calls[0].id,
      content: '{"temp":21}',
    });
    const second = await chat({ messages, tools, tool_choice: 'none' });
    expect(second.status).toBe(200);
    expect(second.answer.choices[0].message.content).toBe(REPLY);
    expect(fake.requests[1]?.body).toMatchObject({
      contents: [
        { role: 'user' },
        {
          role: 'model',
          parts: [{ functionCall: { name: 'get_weather', args: { location: 'Paris, France' } } }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }],
        },
      ],
    });
  });

  it('streams a tool call whole, with the same id as the answer would give', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather' } }];
    const result = await chat({
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream: true,
    });
    const chunks = result.events!.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e));
    const call = chunks.find((c) => c.choices[0]?.delta?.tool_calls)?.choices[0].delta
      .tool_calls[0];
    expect(call).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
    });
    expect(call.id).toMatch(/^call_/);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });

  it('sends an image and answers a safety stop as content_filter', async () => {
    const content = [
      { type: 'text', text: `What is this? ${GEMINI_UNSAFE_MARKER}` },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
    ];
    const { status, answer } = await chat({ messages: [{ role: 'user', content }] });
    expect(status).toBe(200);
    expect(fake.requests[0]?.body).toMatchObject({
      contents: [
        {
          parts: [
            { text: expect.any(String) },
            { inlineData: { mimeType: 'image/png', data: PNG } },
          ],
        },
      ],
    });
    expect(answer.choices[0]).toMatchObject({
      message: { content: '' },
      finish_reason: 'content_filter',
    });
  });

  it('embeds through batchEmbedContents, floats or base64', async () => {
    const json = { model: 'text-embedding-3-small', input: ['a b', 'c'], dimensions: 4 };
    const mapped = {
      ...channel,
      modelMapping: { 'text-embedding-3-small': 'gemini-embedding-001' },
    };
    const request = client(json, '/v1/embeddings');
    const upstream = await geminiAdapter.buildRequest(mapped, request);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    expect(fake.requests[0]?.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    const answer = JSON.parse(geminiAdapter.clientAnswer(bytes, request).toString());
    expect(answer).toMatchObject({ object: 'list', model: 'text-embedding-3-small' });
    expect(answer.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(answer.data[0].embedding).toHaveLength(4);
    expect(geminiAdapter.usageOf(bytes.toString())).toBeUndefined();
  });

  it('turns a refused key into 401 invalid_api_key without showing the key', async () => {
    const wrong = { ...channel, key: 'AIzaSy-wrong-key-that-is-long-enough' };
    const request = client({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const { status, bytes } = await send(await geminiAdapter.buildRequest(wrong, request));
    expect(status).toBe(400);
    const failure = geminiAdapter.clientError(wrong, status, bytes.toString());
    expect(failure.status).toBe(401);
    expect(JSON.parse(failure.body).error.code).toBe('invalid_api_key');
    expect(failure.body).not.toContain(wrong.key);
  });

  it('relays an upstream 429 as a retryable rate limit', async () => {
    fake.failNext({ status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    const { status, failure } = await chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(status).toBe(429);
    expect(failure).toMatchObject({ status: 429 });
    expect(JSON.parse(failure!.body).error.code).toBe('rate_limit_exceeded');
  });

  it('refuses endpoints Gemini lacks, and token-id embeddings, before any call', () => {
    const completions = client({ model: 'gpt-4o-mini', prompt: 'hi' }, '/v1/completions');
    expect(() => geminiAdapter.buildRequest(channel, completions)).toThrow(
      RequestNotSupportedError,
    );
    const tokens = client({ model: 'm', input: [1, 2, 3] }, '/v1/embeddings');
    expect(() => geminiAdapter.buildRequest(channel, tokens)).toThrow(RequestNotSupportedError);
    expect(fake.requests).toHaveLength(0);
  });

  it("passes the console's channel test, and fails it with the key refused", async () => {
    const passed = await testChannel({ channel, model: 'gpt-4o-mini', timeoutMs: 5_000 });
    expect(passed).toMatchObject({ ok: true });
    expect(fake.requests[0]?.body).toMatchObject({ generationConfig: { maxOutputTokens: 1 } });
    const wrong = { ...channel, key: 'AIzaSy-wrong-key-that-is-long-enough' };
    const failed = await testChannel({ channel: wrong, model: 'gpt-4o-mini', timeoutMs: 5_000 });
    expect(failed.ok).toBe(false);
    expect(failed.error).toContain('API key not valid');
    expect(failed.error).not.toContain(wrong.key);
  });

  it('is the adapter of gemini channels, and takes a base URL with its version', async () => {
    expect(adapterFor('gemini')).toBe(geminiAdapter);
    const versioned = { ...channel, baseUrl: `${fake.url}/v1beta/` };
    const request = client({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const upstream = await geminiAdapter.buildRequest(versioned, request);
    expect(upstream.url).toBe(`${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`);
    const defaulted = await geminiAdapter.buildRequest({ ...channel, baseUrl: '' }, request);
    expect(defaulted.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(defaulted.url).not.toContain(KEY);
  });
});
