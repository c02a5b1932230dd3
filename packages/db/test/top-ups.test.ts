import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { LogType } from '../src/models/log.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { openTestDatabase } from './helpers.js';

describe.each(databaseBackends())('Stripe top-ups on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  // Three console nodes sharing the database, each with its own connections.
  let nodes: Database[] = [];
  let counter = 0;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    nodes = [await openTestDatabase(testDb)];
    nodes.push(await openTestDatabase(testDb), await openTestDatabase(testDb));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await testDb?.drop();
  });

  async function pendingTopUp(quota: number) {
    const n = ++counter;
    const user = await nodes[0]!.repos.users.create({
      username: `buyer${n}`,
      password: 'password-123',
      quota: 100,
    });
    const topUp = await nodes[0]!.repos.topUps.createPending({
      userId: user.id,
      stripeSessionId: `cs_test_${n}_${'x'.repeat(60)}`,
      units: 3,
      quota,
      amount: 300,
      currency: 'usd',
    });
    return { user, topUp };
  }

  const quotaOf = async (userId: number) =>
    Number((await nodes[0]!.models.User.findByPk(userId))!.quota);
  const topUpLogs = (userId: number) =>
    nodes[0]!.models.Log.findAll({ where: { userId, type: LogType.topup } });

  it.skipIf(skip)('credits once when 30 deliveries race on three nodes', async () => {
    const { user, topUp } = await pendingTopUp(1_500_000);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        nodes[i % 3]!.repos.topUps.credit(topUp.stripeSessionId, () => 'paid'),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await quotaOf(user.id)).toBe(100 + 1_500_000);
    const logs = await topUpLogs(user.id);
    expect(logs.map((log) => [Number(log.quota), log.content, log.username])).toEqual([
      [1_500_000, 'paid', user.username],
    ]);
    const { items } = await nodes[1]!.repos.topUps.list({ userId: user.id });
    expect(items).toEqual([
      expect.objectContaining({ status: 'credited', username: user.username, quota: 1_500_000 }),
    ]);
    expect(items[0]!.creditedTime).toBeGreaterThan(0);
  });

  it.skipIf(skip)('lets either the payment or the expiry win a race, never both', async () => {
    const { user, topUp } = await pendingTopUp(700);
    const [credited, expired] = await Promise.all([
      nodes[1]!.repos.topUps.credit(topUp.stripeSessionId, () => 'paid'),
      nodes[2]!.repos.topUps.expire(topUp.stripeSessionId),
    ]);
    expect(Boolean(credited) !== expired).toBe(true);
    const { items } = await nodes[0]!.repos.topUps.list({ userId: user.id });
    expect(items[0]!.status).toBe(credited ? 'credited' : 'expired');
    expect(await quotaOf(user.id)).toBe(credited ? 800 : 100);
    expect(await topUpLogs(user.id)).toHaveLength(credited ? 1 : 0);
  });

  it.skipIf(skip)('credits nothing for a session it never opened', async () => {
    expect(await nodes[0]!.repos.topUps.credit('cs_test_unknown', () => 'paid')).toBeNull();
    expect(await nodes[0]!.repos.topUps.expire('cs_test_unknown')).toBe(false);
  });

  it.skipIf(skip)('keeps one row per Checkout Session', async () => {
    const { user, topUp } = await pendingTopUp(1);
    await expect(
      nodes[0]!.repos.topUps.createPending({
        userId: user.id,
        stripeSessionId: topUp.stripeSessionId,
        units: 1,
        quota: 1,
        amount: 100,
        currency: 'usd',
      }),
    ).rejects.toThrow();
  });
});
