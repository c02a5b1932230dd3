import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheBackends, databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';
import { chat, COST, REPLY } from './priced-chat.js';

describe.each(databaseBackends())('quota under concurrency on $name', ({ name, skip }) => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skip) return;
    gateway = await startGateway({ backend: name });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it.skipIf(skip)(
    "200 concurrent requests cannot spend more than one request past the key's quota",
    async () => {
      const quota = 10 * COST;
      const { user, token, key } = await createKey(gateway, {
        remainQuota: quota,
        unlimitedQuota: false,
      });
      const userBefore = (await gateway.db.repos.users.findById(user.id))!;

      const results = await Promise.all(Array.from({ length: 200 }, () => chat(gateway, key)));
      const answered = results.filter((result) => result.status === 200).length;
      const refusals = new Set(
        results.filter((result) => result.status !== 200).map((r) => `${r.status} ${r.code}`),
      );
      expect(answered).toBeGreaterThan(0);
      expect([...refusals]).toEqual(['401 token_exhausted']);

      const logs = (await consumeLogs(gateway, answered)).filter((log) => log.tokenId === token.id);
      expect(logs).toHaveLength(answered);
      const spent = logs.reduce((sum, log) => sum + log.quota, 0);
      expect(spent).toBe(answered * COST);
      expect(spent).toBeLessThanOrEqual(quota + COST);

      // The ledger: Σ log quota = the key's used quota = the owner's spend; holds all released.
      const after = await gateway.db.repos.tokens.get(token.id);
      const userAfter = (await gateway.db.repos.users.findById(user.id))!;
      expect(after?.usedQuota).toBe(spent);
      expect(after?.remainQuota).toBe(quota - spent);
      expect(userAfter.usedQuota - userBefore.usedQuota).toBe(spent);
      expect(userBefore.quota - userAfter.quota).toBe(spent);
    },
  );

  it.skipIf(skip)(
    'an owner out of quota is refused with 403, and a failed request costs nothing',
    async () => {
      const { user, key } = await createKey(gateway, { quota: COST });
      expect((await chat(gateway, key)).status).toBe(200);
      expect(await chat(gateway, key)).toEqual({ status: 403, code: 'insufficient_user_quota' });

      const rich = await createKey(gateway, { quota: 1_000_000 });
      upstream.failNext({ status: 500, message: 'boom' }, 5);
      expect((await chat(gateway, rich.key)).status).toBe(500);
      await expect
        .poll(async () => (await gateway.db.repos.users.findById(rich.user.id))?.quota)
        .toBe(1_000_000);
      await expect
        .poll(async () => (await gateway.db.repos.users.findById(user.id))?.usedQuota)
        .toBe(COST);
    },
  );
});

describe('quota reminders', () => {
  it('writes the owner a system log when a request crosses QuotaRemindThreshold, and at zero', async () => {
    const gateway = await startGateway();
    const upstream = await startFakeUpstream({ reply: REPLY });
    try {
      await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
      await gateway.db.repos.options.setMany({ QuotaRemindThreshold: '60' });
      const { user, key } = await createKey(gateway, { quota: 100 });
      const reminders = async () =>
        (
          await gateway.db.repos.logs.list({ userId: user.id, type: 4, page: 1, pageSize: 10 })
        ).items.map((log) => log.content);
      expect((await chat(gateway, key)).status).toBe(200); // 100 → 65
      await consumeLogs(gateway, 1);
      expect(await reminders()).toEqual([]);
      expect((await chat(gateway, key)).status).toBe(200); // 65 → 30: below 60
      await expect.poll(async () => (await reminders()).length).toBe(1);
      expect((await reminders())[0]).toContain('below the reminder threshold of 60');
      expect((await chat(gateway, key)).status).toBe(200); // 30 → −5: used up
      await expect.poll(async () => (await reminders()).length).toBe(2);
      expect((await reminders())[0]).toContain('used up');
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});

describe.each(cacheBackends())('first_use keys with the $name cache', ({ name, skip }) => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skip) return;
    gateway = await startGateway(name === 'redis' ? { redisUrl: process.env.TEST_REDIS_URL } : {});
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function firstUseKey(durationSeconds: number) {
    const { user } = await createKey(gateway);
    const { token, key } = await gateway.db.repos.tokens.create(user.id, {
      name: 'trial',
      unlimitedQuota: true,
      expiryMode: 'first_use',
      durationSeconds,
    });
    return { token, key };
  }

  it.skipIf(skip)(
    'stays valid unused past its duration, then expires that long after its first request',
    async () => {
      const { token, key } = await firstUseKey(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await chat(gateway, key)).status).toBe(200);
      const started = (await gateway.db.repos.tokens.get(token.id))!.firstUsedTime;
      expect(started).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect(await chat(gateway, key)).toEqual({ status: 401, code: 'token_expired' });
      // The status is stored too, as the console shows it.
      await expect.poll(async () => (await gateway.db.repos.tokens.get(token.id))?.status).toBe(3);
    },
  );

  it.skipIf(skip)('records one start time for 20 concurrent first requests', async () => {
    const { token, key } = await firstUseKey(3600);
    const results = await Promise.all(Array.from({ length: 20 }, () => chat(gateway, key)));
    expect(results.every((result) => result.status === 200)).toBe(true);
    const first = (await gateway.db.repos.tokens.get(token.id))!.firstUsedTime;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await chat(gateway, key)).status).toBe(200);
    expect((await gateway.db.repos.tokens.get(token.id))!.firstUsedTime).toBe(first);
  });
});
