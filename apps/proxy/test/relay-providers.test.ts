import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const REPLY = 'Hello from the fake upstream model';
const UPSTREAM_KEY = 'provider-key-0123456789abcdef';

/** A gateway with one channel of this type in front of a fake that accepts only its key. */
async function providerSetup(channel: {
  type: string;
  baseUrl: (fakeUrl: string) => string;
  models: string[];
  modelMapping?: Record<string, string>;
  config?: Record<string, unknown>;
}) {
  const gateway = await startGateway();
  const upstream = await startFakeUpstream({ reply: REPLY, keys: [UPSTREAM_KEY] });
  await addChannel(gateway, {
    type: channel.type,
    baseUrl: channel.baseUrl(upstream.url),
    key: UPSTREAM_KEY,
    models: channel.models,
    ...(channel.modelMapping ? { modelMapping: channel.modelMapping } : {}),
    ...(channel.config ? { config: channel.config } : {}),
  });
  const { key } = await createKey(gateway);
  return { gateway, upstream, key };
}

const hi = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'hi' }] });

/** One chat request, its answer and its consume log. */
async function chat(gateway: Gateway, key: string, model: string) {
  const { data, response } = await openai(gateway, key)
    .chat.completions.create(hi(model))
    .withResponse();
  const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
  return { answer: data.choices[0]?.message.content, log };
}

describe('an Azure OpenAI channel', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    ({ gateway, upstream, key } = await providerSetup({
      type: 'azure',
      baseUrl: (url) => url,
      models: ['gpt-4o-mini', 'gpt-3.5-turbo', 'gpt-4o'],
      modelMapping: { 'gpt-4o': 'gpt-4.1-mini' },
      config: { apiVersion: '2024-10-21' },
    }));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  it('calls the deployment URL with the api-key header and no Authorization', async () => {
    const { answer, log } = await chat(gateway, key, 'gpt-4o-mini');
    expect(answer).toBe(REPLY);
    expect(log.model).toBe('gpt-4o-mini');

    const seen = upstream.requests[0];
    expect(seen?.url).toBe(
      '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21',
    );
    expect(seen?.headers['api-key']).toBe(UPSTREAM_KEY);
    expect(seen?.headers.authorization).toBeUndefined();
  });

  it('names the deployment of a dotted model without its dots', async () => {
    const { answer } = await chat(gateway, key, 'gpt-3.5-turbo');
    expect(answer).toBe(REPLY);
    const seen = upstream.requests[0];
    expect(seen?.url).toBe(
      '/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-10-21',
    );
    expect(seen?.body).toMatchObject({ model: 'gpt-3.5-turbo' });
  });

  it('routes a mapped model to its deployment and bills the requested model', async () => {
    const { log } = await chat(gateway, key, 'gpt-4o');
    const seen = upstream.requests[0];
    expect(seen?.url).toBe(
      '/openai/deployments/gpt-41-mini/chat/completions?api-version=2024-10-21',
    );
    expect(seen?.body).toMatchObject({ model: 'gpt-4.1-mini' });

    // gpt-4o: ratio 1.25, completion ratio 4; 4 prompt + 6 completion tokens →
    // ceil((4 + 6 × 4) × 1.25) = 35
    expect(log).toMatchObject({
      model: 'gpt-4o',
      promptTokens: 4,
      completionTokens: 6,
      quota: 35,
    });
  });

  it('streams from the deployment URL', async () => {
    const { data: stream, response } = await openai(gateway, key)
      .chat.completions.create({ ...hi('gpt-4o-mini'), stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(REPLY);
    // gpt-4o-mini: ratio 0.075, completion ratio 4 → ceil((4 + 6 × 4) × 0.075) = 3
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      promptTokens: 4,
      completionTokens: 6,
      quota: 3,
      isStream: true,
    });
    expect(upstream.requests[0]?.url).toBe(
      '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21',
    );
  });
});

describe('preset OpenAI-compatible providers with their own paths', () => {
  it('zhipu: serves the OpenAI paths without /v1', async () => {
    const { gateway, upstream, key } = await providerSetup({
      type: 'zhipu',
      baseUrl: (url) => `${url}/api/paas/v4`,
      models: ['glm-4-air'],
    });
    try {
      const { answer, log } = await chat(gateway, key, 'glm-4-air');
      expect(answer).toBe(REPLY);
      // glm-4-air: ratio 0.07, completion ratio 1 → ceil((4 + 6) × 0.07) = 1
      expect(log).toMatchObject({ model: 'glm-4-air', quota: 1 });
      expect(upstream.requests[0]?.url).toBe('/api/paas/v4/chat/completions');
      expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });

  it('groq: keeps /v1 under its /openai base', async () => {
    const { gateway, upstream, key } = await providerSetup({
      type: 'groq',
      baseUrl: (url) => `${url}/openai/`,
      models: ['gpt-4o-mini'],
    });
    try {
      const { answer, log } = await chat(gateway, key, 'gpt-4o-mini');
      expect(answer).toBe(REPLY);
      expect(log).toMatchObject({ model: 'gpt-4o-mini', quota: 3 });
      expect(upstream.requests[0]?.url).toBe('/openai/v1/chat/completions');
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
