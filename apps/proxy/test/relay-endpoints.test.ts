import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { Completion } from 'openai/resources/completions';
import { toFile } from 'openai';
import { fakeEmbedding, startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const REPLY = 'Hello from the fake upstream model';
/** 250 words: 250 tokens for the fake upstream. */
const LONG_TEXT = Array.from({ length: 250 }, (_, i) => `w${i}`).join(' ');

describe('the other OpenAI endpoints through the gateway (official openai SDK)', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, {
      baseUrl: upstream.url,
      models: ['text-embedding-3-small', 'gpt-3.5-turbo', 'dall-e-3', 'omni-moderation-latest'],
    });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  describe('embeddings', () => {
    it('embeds a string, with the base64 encoding the SDK asks for by default', async () => {
      const { data, response } = await openai(gateway, key)
        .embeddings.create({ model: 'text-embedding-3-small', input: LONG_TEXT })
        .withResponse();
      // The SDK asked for base64 itself and decoded it: the vector arrives as floats.
      expect(upstream.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
      expect(data.data).toHaveLength(1);
      expect(data.data[0]?.embedding).toEqual(fakeEmbedding(LONG_TEXT));
      expect(data.usage).toEqual({ prompt_tokens: 250, total_tokens: 250 });

      // text-embedding-3-small: ratio 0.01 → ceil(250 × 0.01) = ceil(2.5) = 3
      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        model: 'text-embedding-3-small',
        promptTokens: 250,
        completionTokens: 0,
        quota: 3,
        isStream: false,
      });
    });

    it('embeds each string of an array, billing all their tokens', async () => {
      const input = ['one two three', LONG_TEXT, 'four'];
      const { data, response } = await openai(gateway, key)
        .embeddings.create({ model: 'text-embedding-3-small', input })
        .withResponse();
      expect(data.data.map((item) => item.embedding)).toEqual(input.map((i) => fakeEmbedding(i)));
      expect(data.data.map((item) => item.index)).toEqual([0, 1, 2]);

      // 3 + 250 + 1 = 254 tokens → ceil(2.54) = 3
      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        promptTokens: 254,
        completionTokens: 0,
        quota: 3,
      });
    });

    it('embeds token arrays, billing their lengths', async () => {
      const input = [
        [1, 2, 3],
        [40, 50],
      ];
      const { data, response } = await openai(gateway, key)
        .embeddings.create({ model: 'text-embedding-3-small', input })
        .withResponse();
      expect(data.data.map((item) => item.embedding)).toEqual(input.map((i) => fakeEmbedding(i)));
      expect(upstream.requests[0]?.body).toMatchObject({ input });

      // 5 tokens × 0.01 rounds up to the smallest charge, 1.
      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        promptTokens: 5,
        quota: 1,
      });
    });

    it('returns base64 untouched when the client asks for it explicitly', async () => {
      const embedding = await openai(gateway, key).embeddings.create({
        model: 'text-embedding-3-small',
        input: 'hello there',
        encoding_format: 'base64',
      });
      const base64 = embedding.data[0]?.embedding as unknown as string;
      const bytes = Buffer.from(base64, 'base64');
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      expect(Array.from(floats)).toEqual(fakeEmbedding('hello there'));
    });
  });

  describe('legacy completions', () => {
    it('answers and bills the usage the upstream reported', async () => {
      const { data, response } = await openai(gateway, key)
        .completions.create({ model: 'gpt-3.5-turbo', prompt: 'Say this is a test' })
        .withResponse();
      expect(data.choices[0]?.text).toBe(REPLY);
      expect(data.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });

      // gpt-3.5-turbo: ratio 0.25, completion ratio 3 → ceil((5 + 6 × 3) × 0.25) = 6
      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        model: 'gpt-3.5-turbo',
        promptTokens: 5,
        completionTokens: 6,
        quota: 6,
        isStream: false,
      });
    });

    it('streams the text, bills the usage it asked for, and keeps the usage chunk from the client', async () => {
      const { data: stream, response } = await openai(gateway, key)
        .completions.create({ model: 'gpt-3.5-turbo', prompt: 'Say this is a test', stream: true })
        .withResponse();
      const chunks: Completion[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe(REPLY);
      expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
      // The client did not ask for usage: no usage-only chunk, no usage on any chunk.
      expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
      expect(chunks.filter((chunk) => chunk.usage)).toEqual([]);
      expect(upstream.requests[0]?.body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });

      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        model: 'gpt-3.5-turbo',
        promptTokens: 5,
        completionTokens: 6,
        quota: 6,
        isStream: true,
      });
    });
  });

  it('generates images, billing each one at the model price', async () => {
    const { data, response } = await openai(gateway, key)
      .images.generate({ model: 'dall-e-3', prompt: 'a red fox in the snow', n: 2 })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data?.[0]).toMatchObject({
      url: expect.stringMatching(/^https:\/\/images\.fake-upstream\.test\/.+-0\.png$/),
      revised_prompt: 'a red fox in the snow',
    });
    expect(upstream.requests[0]?.body).toEqual({
      model: 'dall-e-3',
      prompt: 'a red fox in the snow',
      n: 2,
    });

    // dall-e-3: $0.04 an image × 500000 quota per USD × 2 images
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'dall-e-3',
      quota: 2 * 0.04 * 500_000,
    });
  });

  it('moderates each input, free for a free moderation model', async () => {
    const { data, response } = await openai(gateway, key)
      .moderations.create({ model: 'omni-moderation-latest', input: ['hello', 'good bye'] })
      .withResponse();
    expect(data.results).toHaveLength(2);
    expect(data.results[0]).toMatchObject({ flagged: false, categories: { violence: false } });
    expect(upstream.requests[0]?.body).toEqual({
      model: 'omni-moderation-latest',
      input: ['hello', 'good bye'],
    });
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'omni-moderation-latest',
      quota: 0,
    });
  });

  describe('malformed requests', () => {
    it('refuses a body that is not JSON with 400 invalid_json, before the upstream', async () => {
      const response = await fetch(`${gateway.base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: '{"model": "gpt-3.5-turbo", "messages": [',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'invalid_json' },
      });
      expect(upstream.requests).toEqual([]);
    });

    it('refuses a body without a model with 400, before the upstream', async () => {
      const request = openai(gateway, key).chat.completions.create({
        messages: [{ role: 'user', content: 'hi' }],
      } as unknown as ChatCompletionCreateParamsNonStreaming);
      await expect(request).rejects.toMatchObject({ status: 400, code: 'missing_model' });
      expect(upstream.requests).toEqual([]);
    });
  });
});

describe('request body limits', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway({ maxBodyBytes: 1024 });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o-mini', 'whisper-1'] });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  it('relays a body under the limit', async () => {
    const { data, response } = await openai(gateway, key)
      .chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'gpt-4o-mini',
    });
  });

  it('answers a JSON body over the limit with 413 request_too_large', async () => {
    const request = openai(gateway, key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(2048) }],
    });
    await expect(request).rejects.toMatchObject({
      status: 413,
      code: 'request_too_large',
      error: { type: 'invalid_request_error', code: 'request_too_large' },
    });
    expect(upstream.requests).toEqual([]);
  });

  it('answers an upload over the limit with 413, sending nothing upstream', async () => {
    const request = openai(gateway, key).audio.transcriptions.create({
      file: await toFile(Buffer.alloc(8 * 1024, 7), 'a.mp3'),
      model: 'whisper-1',
    });
    await expect(request).rejects.toMatchObject({ status: 413, code: 'request_too_large' });
    expect(upstream.requests).toEqual([]);
  });
});

describe('graceful shutdown', () => {
  it('writes the bill of an answered request before the gateway finishes closing', async () => {
    const gateway = await startGateway();
    const upstream = await startFakeUpstream({ reply: REPLY });
    try {
      await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o-mini'] });
      const { key } = await createKey(gateway);
      await openai(gateway, key).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      // server.ts closes the database right after app.close(): a bill still in flight is lost.
      await gateway.app.close();
      const { items } = await gateway.db.repos.logs.list({ type: 2, page: 1, pageSize: 10 });
      expect(items).toHaveLength(1);
    } finally {
      await consumeLogs(gateway, 1, 1000);
      await gateway.close();
      await upstream.close();
    }
  });
});
