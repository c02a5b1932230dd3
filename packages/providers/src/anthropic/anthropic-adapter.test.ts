import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from '../adapter.js';
import { adapterFor } from '../adapter-for.js';
import type { UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { FAKE_THINKING } from '../testing/fake-anthropic.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { toMessagesRequest } from './messages-request.js';

const KEY = 'sk-ant-api03-channel-key-0123456789abcdef';
const REPLY = 'Hello from the fake Anthropic upstream.';
const UPSTREAM_MODEL = 'claude-sonnet-4-5-20250929';

let fake: FakeUpstream;
let channel: UpstreamChannel;
beforeAll(async () => {
  fake = await startFakeUpstream({ keys: [KEY], reply: REPLY });
  channel = {
    type: 'anthropic',
    key: KEY,
    baseUrl: fake.url,
    config: {},
    modelMapping: { 'gpt-4o': UPSTREAM_MODEL },
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

interface Chunk {
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: Record<string, unknown> | null;
}

/** A whole chat request sent through the adapter to the fake, its answer read as the relay would. */
async function chat(json: Record<string, unknown>, on: UpstreamChannel = channel) {
  const request = client({ model: 'gpt-4o', ...json });
  const upstream = await anthropicAdapter.buildRequest(on, request);
  const { status, bytes } = await send(upstream);
  if (status !== 200) {
    const failure = anthropicAdapter.clientError(on, status, bytes.toString());
    return { status, failure: { status: failure.status, ...JSON.parse(failure.body) } };
  }
  const answer = JSON.parse(anthropicAdapter.clientAnswer(bytes, request).toString());
  return { status, answer, usage: anthropicAdapter.usageOf(bytes.toString()) };
}

/** A streamed chat request, its answer read through the adapter's tap a byte at a time. */
async function stream(json: Record<string, unknown>) {
  const request = client({ model: 'gpt-4o', stream: true, ...json });
  const upstream = await anthropicAdapter.buildRequest(channel, request);
  const { status, bytes } = await send(upstream);
  expect(status).toBe(200);
  const tap = anthropicAdapter.streamTap({
    stripUsageChunk: upstream.injectedUsage,
    collectText: true,
    request,
  });
  const out = [...bytes].map((_, i) => tap.push(bytes.subarray(i, i + 1)));
  out.push(tap.end());
  const events = Buffer.concat(out)
    .toString()
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice(6));
  const chunks = events.filter((e) => e.startsWith('{"id"')).map((e) => JSON.parse(e) as Chunk);
  const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
  const text = (field: string) => deltas.map((delta) => delta[field] ?? '').join('');
  return { upstream, events, chunks, text, tap };
}

describe('the Anthropic adapter against the fake Anthropic', () => {
  it('sends the exact request Anthropic wants and reads the answer back', async () => {
    const json = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      max_tokens: 50,
      temperature: 1.5,
      user: 'user-7',
    };
    const { answer, usage } = await chat(json);
    const [record] = fake.requests;
    expect(record?.url).toBe('/v1/messages');
    expect(record?.headers).toMatchObject({
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    });
    expect(record?.headers.authorization).toBeUndefined();
    expect(record?.body).toEqual({
      model: UPSTREAM_MODEL,
      ...toMessagesRequest(json, UPSTREAM_MODEL),
    });
    expect(record?.body).toMatchObject({ temperature: 1, metadata: { user_id: 'user-7' } });
    expect(answer).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [
        { index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' },
      ],
      usage: record?.usage,
    });
    expect(usage).toEqual({
      promptTokens: record?.usage?.prompt_tokens,
      completionTokens: record?.usage?.completion_tokens,
    });
  });

  it('streams the reply word by word, with the usage chunk only when the client asked', async () => {
    const plain = await stream({ messages: [{ role: 'user', content: 'Hi' }] });
    const [record] = fake.requests;
    expect(record?.body).toMatchObject({ stream: true, model: UPSTREAM_MODEL });
    expect(plain.upstream.injectedUsage).toBe(true);
    expect(plain.text('content')).toBe(REPLY);
    expect(plain.chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(plain.events.at(-1)).toBe('[DONE]');
    expect(plain.events.join('')).not.toContain('"usage"');
    expect(plain.tap.usage).toEqual({
      promptTokens: record?.usage?.prompt_tokens,
      completionTokens: record?.usage?.completion_tokens,
    });

    const withUsage = await stream({
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(withUsage.upstream.injectedUsage).toBe(false);
    const last = withUsage.chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject(fake.requests[1]?.usage ?? {});
  });

  it('cuts the reply at max_tokens and says so', async () => {
    const { answer } = await chat({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 });
    expect(answer.choices[0]).toMatchObject({
      message: { content: 'Hello from' },
      finish_reason: 'length',
    });
  });

  it('calls a tool, and the fake accepts the results sent back under the same ids', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { location: { type: 'string' } } },
        },
      },
    ];
    const question = { role: 'user', content: 'Weather in Paris?' };
    const first = await stream({ messages: [question], tools });
    const call = first.chunks.flatMap((c) => c.choices).find((c) => c.delta.tool_calls)?.delta;
    const [opening] = call?.tool_calls as { id: string; function: { name: string } }[];
    expect(opening?.function.name).toBe('get_weather');
    const args = first.chunks
      .flatMap((c) => c.choices)
      .flatMap((c) => (c.delta.tool_calls as { function: { arguments: string } }[]) ?? [])
      .map((c) => c.function.arguments)
      .join('');
    expect(JSON.parse(args)).toEqual({ location: 'Paris, France' });
    expect(first.chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');

    const second = await chat({
      messages: [
        question,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: opening?.id,
              type: 'function',
              function: { name: 'get_weather', arguments: args },
            },
          ],
        },
        { role: 'tool', tool_call_id: opening?.id, content: 'Sunny, 21°C' },
      ],
      tools,
      tool_choice: 'none',
    });
    expect(second.status).toBe(200);
    expect(second.answer.choices[0].message.content).toBe(REPLY);
  });

  it('streams thinking as reasoning_content when the client asks for reasoning', async () => {
    const result = await stream({
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Think first' }],
    });
    expect(result.text('reasoning_content')).toBe(FAKE_THINKING);
    expect(result.text('content')).toBe(REPLY);
    expect(result.tap.usage?.completionTokens).toBe(fake.requests[0]?.usage?.completion_tokens);
  });

  it('bills prompt-cache writes, then reads, as the fake reports them', async () => {
    const system = {
      role: 'system',
      content: [
        {
          type: 'text',
          text: 'Long shared rules for everyone.',
          cache_control: { type: 'ephemeral' },
        },
      ],
    };
    const messages = [system, { role: 'user', content: 'Hi there' }];
    const first = await chat({ messages });
    expect(first.usage).toEqual({ promptTokens: 10, completionTokens: 6, cacheWriteTokens: 5 });
    const second = await stream({ messages });
    expect(second.tap.usage).toEqual({ promptTokens: 10, completionTokens: 6, cachedTokens: 5 });
    expect(fake.requests[1]?.usage?.prompt_tokens_details).toEqual({
      cached_tokens: 5,
      cache_write_tokens: 0,
    });
  });

  it('turns an overloaded error mid-stream into the client error event', async () => {
    fake.failStreamAfter(4, { status: 529, message: 'Overloaded' });
    const result = await stream({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(result.tap.failed).toBe(true);
    expect(JSON.parse(result.events.at(-1) ?? '')).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded' },
    });
    expect(result.events).not.toContain('[DONE]');
  });

  it('ends a stream the connection broke off with whole events and the error', async () => {
    fake.dropStreamAfter(5);
    const request = client({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const upstream = await anthropicAdapter.buildRequest(channel, request);
    const tap = anthropicAdapter.streamTap({ stripUsageChunk: true, collectText: true, request });
    const res = await fetch(upstream.url, {
      method: 'POST',
      headers: upstream.headers,
      body: upstream.body,
    });
    const reader = res.body!.getReader();
    const out: Buffer[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          out.push(tap.push(Buffer.from(value)));
        }
      })(),
    ).rejects.toThrow();
    const error = { message: 'interrupted', type: 'upstream_error', code: 'stream_interrupted' };
    out.push(tap.endWithError(error));
    const events = Buffer.concat(out).toString().split('\n\n').filter(Boolean);
    // The words that came before the break, then the error: every event whole.
    expect(tap.completionText).toBe('Hello from');
    expect(events.every((event) => event.startsWith('data: {'))).toBe(true);
    expect(events.at(-1)).toContain('"code":"stream_interrupted"');
  });

  it('judges refusals as OpenAI would, without the key', async () => {
    const wrong = { ...channel, key: 'sk-ant-api03-wrong-key-0123456789abcdef' };
    const refused = await chat({ messages: [{ role: 'user', content: 'Hi' }] }, wrong);
    expect(refused.failure).toMatchObject({ status: 401, error: { code: 'invalid_api_key' } });
    expect(JSON.stringify(refused.failure)).not.toContain('wrong-key');

    fake.failNext({
      status: 400,
      type: 'invalid_request_error',
      message: 'Your credit balance is too low to access the Anthropic API.',
    });
    const broke = await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(broke.failure).toMatchObject({ status: 402, error: { code: 'insufficient_quota' } });

    fake.failNext({ status: 529, message: 'Overloaded' });
    const busy = await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(busy.failure).toMatchObject({ status: 529, error: { code: 'overloaded' } });

    fake.failNext({
      status: 429,
      message: 'Number of request tokens has exceeded your rate limit',
    });
    const limited = await chat({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(limited.failure).toMatchObject({ status: 429, error: { code: 'rate_limit_exceeded' } });
  });

  it('passes the client a 400 for a request Anthropic refuses', async () => {
    const result = await chat({ messages: [{ role: 'user', content: '' }] });
    expect(result.failure).toMatchObject({
      status: 400,
      error: { type: 'invalid_request_error', message: expect.stringContaining('messages') },
    });
  });

  it('is the adapter of anthropic channels, serves chat only, and takes a versioned base URL', async () => {
    expect(adapterFor('anthropic')).toBe(anthropicAdapter);
    const embeddings = client({ model: 'gpt-4o', input: 'x' }, '/v1/embeddings');
    expect(() => anthropicAdapter.buildRequest(channel, embeddings)).toThrow(
      RequestNotSupportedError,
    );
    const versioned = { ...channel, baseUrl: `${fake.url}/v1/` };
    const result = await chat({ messages: [{ role: 'user', content: 'Hi' }] }, versioned);
    expect(result.status).toBe(200);
    expect(fake.requests[0]?.url).toBe('/v1/messages');
    const request = client({ model: 'x', messages: [] });
    const official = await anthropicAdapter.buildRequest({ ...channel, baseUrl: '' }, request);
    expect(official.url).toBe('https://api.anthropic.com/v1/messages');
  });
});
