import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchBalance } from './balance.js';
import type { UpstreamChannel } from './channel.js';
import { BalanceNotSupportedError, UpstreamError } from './errors.js';
import { startFakeUpstream, type FakeUpstream } from './testing/fake-upstream.js';

const KEY = 'sk-balance-0123456789abcdefghijkl';

describe('fetchBalance', () => {
  let upstream: FakeUpstream;
  const channel = (type: string, path = ''): UpstreamChannel => ({
    type,
    key: KEY,
    baseUrl: upstream.url + path,
    config: {},
  });
  beforeAll(async () => {
    upstream = await startFakeUpstream({ keys: [KEY] });
  });
  beforeEach(() => upstream.reset());
  afterAll(() => upstream?.close());

  it("reads OpenAI's hard limit minus this month's usage (in cents)", async () => {
    upstream.balances.openai = { hardLimitUsd: 120, totalUsageCents: 2050, hasPaymentMethod: true };
    const now = new Date(2025, 2, 17, 12);
    expect(await fetchBalance(channel('openai'), { now })).toBe(99.5);
    expect(upstream.requests.map((r) => r.url)).toEqual([
      '/v1/dashboard/billing/subscription',
      '/v1/dashboard/billing/usage?start_date=2025-03-01&end_date=2025-03-17',
    ]);
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('looks back 100 days for an OpenAI account without a payment method', async () => {
    upstream.balances.openai = { hardLimitUsd: 5, totalUsageCents: 100, hasPaymentMethod: false };
    expect(await fetchBalance(channel('openai'), { now: new Date(2025, 2, 17, 12) })).toBe(4);
    expect(upstream.requests[1]?.url).toBe(
      '/v1/dashboard/billing/usage?start_date=2024-12-07&end_date=2025-03-17',
    );
  });

  it("takes DeepSeek's USD balance, else its first", async () => {
    expect(await fetchBalance(channel('deepseek'))).toBe(15.5);
    upstream.balances.deepseek = [{ currency: 'CNY', totalBalance: '110.00' }];
    expect(await fetchBalance(channel('deepseek'))).toBe(110);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/user/balance', '/user/balance']);
  });

  it('reads OpenRouter credits minus usage under its /api base', async () => {
    expect(await fetchBalance(channel('openrouter', '/api'))).toBe(37.75);
    expect(upstream.requests[0]?.url).toBe('/api/v1/credits');
  });

  it("reads SiliconFlow's total balance", async () => {
    expect(await fetchBalance(channel('siliconflow'))).toBe(88.8);
    expect(upstream.requests[0]?.url).toBe('/v1/user/info');
  });

  it('refuses types without a balance endpoint, by name', async () => {
    for (const type of ['azure', 'groq', 'anthropic', 'openai-compatible']) {
      const error = await fetchBalance(channel(type)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BalanceNotSupportedError);
      expect((error as Error).message).toBe(`balance not supported for ${type}`);
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('fails with the upstream error, without the key', async () => {
    upstream.fail({ status: 401, message: `Incorrect API key provided: ${KEY}` });
    const error = await fetchBalance(channel('deepseek')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      status: 401,
      message: 'upstream answered 401: Incorrect API key provided: ***',
    });
  });

  it('fails on a response it cannot read', async () => {
    upstream.balances.siliconflow = { totalBalance: 'n/a' };
    await expect(fetchBalance(channel('siliconflow'))).rejects.toThrow(
      new UpstreamError('unexpected balance response from siliconflow'),
    );
    upstream.balances.deepseek = [];
    await expect(fetchBalance(channel('deepseek'))).rejects.toThrow('deepseek reported no balance');
  });
});
