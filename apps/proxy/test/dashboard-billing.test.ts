import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, startGateway, type Gateway } from './harness.js';
import { chat, COST, REPLY } from './priced-chat.js';

/** QuotaPerUnit's default: quota per USD. */
const PER_USD = 500_000;

describe('balance endpoints for chat front-ends', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function get(path: string, key: string) {
    const response = await fetch(`${gateway.base}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("reports a key's limit in USD and its spend in cents, with and without /v1", async () => {
    const expiredTime = Math.floor(Date.now() / 1000) + 3600;
    const { key } = await createKey(gateway, {
      quota: 100 * PER_USD,
      remainQuota: 2 * PER_USD,
      unlimitedQuota: false,
      expiredTime,
    });
    const subscription = {
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: 2,
      hard_limit_usd: 2,
      system_hard_limit_usd: 2,
      access_until: expiredTime,
    };
    for (const prefix of ['', '/v1']) {
      expect(await get(`${prefix}/dashboard/billing/subscription`, key)).toEqual({
        status: 200,
        body: subscription,
      });
      expect(await get(`${prefix}/dashboard/billing/usage`, key)).toEqual({
        status: 200,
        body: { object: 'list', total_usage: 0 },
      });
    }

    expect((await chat(gateway, key)).status).toBe(200);
    // Spent quota moves from the remaining part to the used part: the limit stays.
    await expect
      .poll(async () => (await get('/v1/dashboard/billing/usage', key)).body.total_usage)
      .toBeCloseTo((COST / PER_USD) * 100, 12);
    expect((await get('/v1/dashboard/billing/subscription', key)).body.hard_limit_usd).toBe(2);
  });

  it("bounds an unlimited key by its owner's quota, and never expires it", async () => {
    const { key } = await createKey(gateway, { quota: 3 * PER_USD, unlimitedQuota: true });
    const { body } = await get('/dashboard/billing/subscription', key);
    expect(body).toMatchObject({ hard_limit_usd: 3, access_until: 0 });
  });

  it('shows raw quota when the site does not display currency', async () => {
    await gateway.db.repos.options.setMany({ DisplayInCurrencyEnabled: 'false' });
    try {
      const { key } = await createKey(gateway, { remainQuota: 1234, unlimitedQuota: false });
      const { body } = await get('/dashboard/billing/subscription', key);
      expect(body.hard_limit_usd).toBe(1234);
    } finally {
      await gateway.db.repos.options.setMany({ DisplayInCurrencyEnabled: 'true' });
    }
  });

  it('refuses a bad or expired key with the OpenAI error the relay gives', async () => {
    const bad = await get('/v1/dashboard/billing/subscription', 'sk-not-a-key');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_api_key' } });

    const { key } = await createKey(gateway, { expiredTime: Math.floor(Date.now() / 1000) - 1 });
    const expired = await get('/dashboard/billing/usage', key);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { code: 'token_expired' } });
  });
});
