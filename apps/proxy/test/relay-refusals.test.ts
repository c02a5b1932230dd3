import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowSeconds, Role, TokenStatus } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, openai, startGateway, type Gateway } from './harness.js';

const chat = (model = 'gpt-4o-mini') => ({
  model,
  messages: [{ role: 'user' as const, content: 'hi' }],
});

describe('requests the gateway refuses itself, with OpenAI-shaped errors', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let pinnedChannelId: number;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: 'ok' });
    await addChannel(gateway, {
      baseUrl: upstream.url,
      models: ['gpt-4o-mini', 'gpt-4o', 'unpriced-model'],
    });
    pinnedChannelId = (
      await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'], groups: ['vip'] })
    ).id;
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function refusal(key: string, body: object = chat()) {
    const error = await openai(gateway, key)
      .chat.completions.create(body as never)
      .then(
        () => undefined,
        (e: { status?: number; code?: string; type?: string; message?: string }) => e,
      );
    return { status: error?.status, code: error?.code, type: error?.type, message: error?.message };
  }

  it.each([
    ['an unknown key', async () => 'sk-' + 'x'.repeat(48), 401, 'invalid_api_key'],
    [
      'an expired key',
      async () => (await createKey(gateway, { expiredTime: nowSeconds() - 60 })).key,
      401,
      'token_expired',
    ],
    [
      'an exhausted key',
      async () => (await createKey(gateway, { remainQuota: 0, unlimitedQuota: false })).key,
      401,
      'token_exhausted',
    ],
    [
      'a disabled key',
      async () => (await createKey(gateway, { status: TokenStatus.disabled })).key,
      401,
      'token_disabled',
    ],
    [
      'an owner without quota',
      async () => (await createKey(gateway, { quota: 0 })).key,
      403,
      'insufficient_user_quota',
    ],
    [
      'a model outside the allow-list',
      async () => (await createKey(gateway, { models: ['gpt-4o'] })).key,
      403,
      'model_not_allowed',
    ],
    [
      'an address outside the subnets',
      async () => (await createKey(gateway, { subnets: ['10.0.0.0/8'] })).key,
      403,
      'ip_not_allowed',
    ],
  ] as const)('refuses %s', async (_name, makeKey, status, code) => {
    const before = upstream.requests.length;
    expect(await refusal(await makeKey())).toMatchObject({ status, code });
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a model without a price before any upstream call', async () => {
    const { key } = await createKey(gateway);
    expect(await refusal(key, chat('unpriced-model'))).toMatchObject({
      status: 403,
      code: 'model_price_not_set',
    });
  });

  it('answers 503 model_not_available when no channel serves the model', async () => {
    const { key } = await createKey(gateway);
    const result = await refusal(key, chat('gpt-4.1'));
    expect(result).toMatchObject({ status: 503, code: 'model_not_available' });
    expect(result.message).toContain('gpt-4.1');
  });

  it('lets an administrator pin a channel with sk-KEY-<id>, and no one else', async () => {
    const admin = await createKey(gateway, { role: Role.admin });
    const pinned = `${admin.key}-${pinnedChannelId}`;
    // The pinned channel serves gpt-4o to the vip group only; pinning bypasses group routing.
    const completion = await openai(gateway, pinned).chat.completions.create(chat('gpt-4o'));
    expect(completion.choices[0]?.message.content).toBe('ok');
    const common = await createKey(gateway);
    expect(await refusal(`${common.key}-${pinnedChannelId}`)).toMatchObject({
      status: 403,
      code: 'channel_pin_not_allowed',
    });
  });

  it('gives refusals and unknown URLs a request id, as it does answers', async () => {
    const refused = await fetch(`${gateway.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-unknown', 'content-type': 'application/json' },
      body: JSON.stringify(chat()),
    });
    const unknown = await fetch(`${gateway.base}/v1/no-such-endpoint`);
    expect([refused.status, unknown.status]).toEqual([401, 404]);
    for (const response of [refused, unknown]) {
      expect(response.headers.get('x-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/,
      );
    }
  });

  it('does not answer quota errors with 429, which SDKs would retry', async () => {
    const { key } = await createKey(gateway, { quota: 0 });
    expect((await refusal(key)).status).not.toBe(429);
  });
});

describe('client addresses behind a reverse proxy', () => {
  it('believes X-Forwarded-For only from TRUSTED_PROXIES', async () => {
    const upstream = await startFakeUpstream({ reply: 'ok' });
    const send = async (gateway: Gateway, key: string) =>
      (
        await fetch(`${gateway.base}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': '10.1.2.3' },
          body: JSON.stringify(chat()),
        })
      ).status;
    for (const [trustedProxies, expected] of [
      ['loopback', 200], // e.g. nginx on the same machine
      ['192.0.2.1', 403], // anyone else cannot claim an address
    ] as const) {
      const gateway = await startGateway({ trustedProxies });
      try {
        await addChannel(gateway, { baseUrl: upstream.url });
        const { key } = await createKey(gateway, { subnets: ['10.0.0.0/8'] });
        expect(await send(gateway, key)).toBe(expected);
      } finally {
        await gateway.close();
      }
    }
    await upstream.close();
  });
});
