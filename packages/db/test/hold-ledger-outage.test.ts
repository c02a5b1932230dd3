import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { LogType } from '../src/models/log.js';
import { Role } from '../src/models/user.js';
import type { Consumption, HeldQuota, Payer } from '../src/repositories/usage.js';
import { sha256Hex } from '../src/secrets.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/backends.js';
import { TcpGate } from '../src/testing/tcp-gate.js';
import { nowSeconds } from '../src/time.js';
import { openTestDatabase } from './helpers.js';

const redisUrl = process.env.TEST_REDIS_URL;

/**
 * A node whose Redis goes away holds in its own memory, on balances it reads then; bills of
 * requests it held in Redis before the outage must count there too when they are written.
 */
describe.skipIf(!redisUrl)('quota holds during a Redis outage', () => {
  let testDb: TestDatabase;
  let gate: TcpGate;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    const target = new URL(redisUrl!);
    gate = new TcpGate(target.hostname, Number(target.port || 6379));
    db = await openTestDatabase(testDb, { redisUrl: `redis://127.0.0.1:${await gate.open()}` });
  });
  afterAll(async () => {
    await gate?.open();
    await db?.close();
    await gate?.close();
    await testDb?.drop();
  });

  async function limitedKey(remainQuota: number): Promise<Payer> {
    const user = await db.repos.users.create({
      username: `outage_${Date.now()}`,
      password: 'password-123',
      role: Role.common,
      quota: 1_000_000,
      group: 'default',
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'outage key',
      unlimitedQuota: false,
      remainQuota,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    return { tokenId: token.id, keyHash: sha256Hex(key), userId: user.id, unlimitedQuota: false };
  }

  async function hold(payer: Payer, amount: number): Promise<HeldQuota | string> {
    const outcome = await db.repos.usage.hold(payer, amount);
    return 'held' in outcome ? outcome.held : outcome.refusal;
  }

  function bill(payer: Payer, held: HeldQuota, quota: number, requestId: string): Consumption {
    return {
      ...payer,
      channelId: 1,
      quota,
      held,
      remindBelow: 0,
      log: {
        userId: payer.userId,
        type: LogType.consume,
        createdAt: nowSeconds(),
        username: 'outage',
        tokenName: 'outage key',
        tokenId: payer.tokenId,
        model: 'gpt-4o-mini',
        channelId: 1,
        promptTokens: 10,
        completionTokens: 20,
        quota,
        isStream: false,
        ttftMs: 100,
        durationMs: 200,
        requestId,
        other: '{}',
      },
    };
  }

  it('counts a bill written during an outage for a request held in Redis before it', async () => {
    const payer = await limitedKey(1_000);
    // A request of 600 is held in Redis; then Redis goes away while it runs.
    const spent = await hold(payer, 600);
    expect(spent).toMatchObject({ local: false });
    await gate.close();

    // The node holds in memory now, on the balance it reads (1,000 left, 600 of it held).
    const small = await hold(payer, 100);
    expect(small).toMatchObject({ local: true });
    await db.repos.usage.recordConsumptions([bill(payer, spent as HeldQuota, 600, 'outage-600')]);
    // The 100 held meanwhile was taken from the row too (every node holds against it).
    expect((await db.repos.tokens.get(payer.tokenId))?.remainQuota).toBe(300);

    // 400 left, 100 of it held: one request of 300 fits, a second does not.
    const first = await hold(payer, 300);
    expect(first).toMatchObject({ local: true });
    expect(await hold(payer, 300)).toBe('token_exhausted');
    for (const held of [small, first]) await db.repos.usage.release(payer, held as HeldQuota);
    // Given back to the row as well.
    expect((await db.repos.tokens.get(payer.tokenId))?.remainQuota).toBe(400);
    await gate.open();
  });

  it('holds against the database rows too: a burst from two nodes passes the quota by one request at most', async () => {
    const other = await openTestDatabase(testDb, { redisUrl: `redis://127.0.0.1:${gate.port}` });
    try {
      const payer = await limitedKey(950);
      await gate.close();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : db).repos.usage.hold(payer, 100)),
      );
      const held = outcomes.flatMap((outcome) => ('held' in outcome ? [outcome.held] : []));
      // Nine fit; a tenth may take the last 50 (were it alone); no node admits more, though
      // each node's own ledger alone would have admitted nine or ten.
      expect(held.length).toBeGreaterThanOrEqual(9);
      expect(held.length).toBeLessThanOrEqual(10);
      expect(held.every((hold) => hold.prepaid === 100)).toBe(true);
      const token = async () => db.repos.tokens.get(payer.tokenId);
      expect(await token()).toMatchObject({ remainQuota: 950 - 100 * held.length, usedQuota: 0 });

      // Each bill charges its exact cost: the hold's surplus comes back with it.
      await Promise.all(
        held.map((hold, i) =>
          (i % 2 ? other : db).repos.usage.recordConsumptions([
            bill(payer, hold, 80, `prepaid-${i}`),
          ]),
        ),
      );
      const spent = 80 * held.length;
      expect(await token()).toMatchObject({ remainQuota: 950 - spent, usedQuota: spent });
      expect(await db.repos.users.findById(payer.userId)).toMatchObject({
        quota: 1_000_000 - spent,
        usedQuota: spent,
      });
    } finally {
      await gate.open();
      await other.close();
    }
  });
});
