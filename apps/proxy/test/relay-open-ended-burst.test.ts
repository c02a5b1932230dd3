import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';

/**
 * Requests without max_tokens hold PreConsumedQuota (500), an estimate far below what they cost
 * here (~1,000): a burst of them on a fresh key must still stop one request past the quota.
 */
describe('a burst of requests that cost more than they hold', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    // 200 words: gpt-4o bills about (prompt + 200 × 4) × 1.25 ≈ 1,000 a request.
    upstream = await startFakeUpstream({
      reply: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '),
    });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('spends at most one request past a fresh key’s quota', async () => {
    const quota = 5_000;
    const { token, key } = await createKey(gateway, { remainQuota: quota, unlimitedQuota: false });
    // Every request is admitted before the first answer arrives.
    upstream.slow(300);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${gateway.base}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'go' }] }),
        }).then(async (response) => ({ status: response.status, body: await response.text() })),
      ),
    );
    const answered = results.filter((result) => result.status === 200).length;
    expect(answered).toBeGreaterThan(0);
    for (const refused of results.filter((result) => result.status !== 200)) {
      expect(refused.body).toContain('token_exhausted');
    }
    const logs = (await consumeLogs(gateway, answered)).filter((log) => log.tokenId === token.id);
    expect(logs).toHaveLength(answered);
    const cost = Math.max(...logs.map((log) => log.quota));
    expect(cost).toBeGreaterThan(900); // each one costs about twice what it held
    const spent = logs.reduce((sum, log) => sum + log.quota, 0);
    expect(spent).toBeLessThanOrEqual(quota + cost);
  });
});
