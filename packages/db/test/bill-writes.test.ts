import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { readStorageConfig } from '../src/config.js';
import { createSequelize } from '../src/connect.js';
import type { Database } from '../src/database.js';
import { migrate } from '../src/migrate.js';
import { initial } from '../src/migrations/0001-initial.js';
import { LogType } from '../src/models/log.js';
import { Role } from '../src/models/user.js';
import type { Consumption } from '../src/repositories/usage.js';
import { sha256Hex } from '../src/secrets.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { nowSeconds } from '../src/time.js';
import { openTestDatabase } from './helpers.js';

const INTEGER_MAX = 2 ** 31 - 1;

describe.each(databaseBackends())('bills written on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let db: Database;
  let accounts = 0;
  let requests = 0;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  /** A user with a limited key, as the console makes them. */
  async function account(username = `bill_user_${++accounts}`) {
    const user = await db.repos.users.create({
      username,
      password: 'password-123',
      role: Role.common,
      quota: 1_000_000,
      group: 'default',
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'bill key',
      unlimitedQuota: false,
      remainQuota: 500_000,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    return { user, token, keyHash: sha256Hex(key) };
  }

  type Account = Awaited<ReturnType<typeof account>>;

  function billOf(
    { user, token, keyHash }: Account,
    quota: number,
    log: Partial<Consumption['log']> = {},
  ): Consumption {
    return {
      tokenId: token.id,
      keyHash,
      userId: user.id,
      unlimitedQuota: false,
      channelId: 1,
      quota,
      held: { amount: quota, local: true },
      remindBelow: 0,
      log: {
        userId: user.id,
        type: LogType.consume,
        createdAt: nowSeconds(),
        username: user.username,
        tokenName: token.name,
        tokenId: token.id,
        model: 'gpt-4o-mini',
        channelId: 1,
        promptTokens: 10,
        completionTokens: 20,
        quota,
        isStream: false,
        ttftMs: 100,
        durationMs: 200,
        requestId: `bill-${++requests}-${name}`,
        other: '{"modelRatio":0.075}',
        ...log,
      },
    };
  }

  async function logsOf(userId: number) {
    return (await db.repos.logs.list({ userId, type: LogType.consume, page: 1, pageSize: 100 }))
      .items;
  }

  it.skipIf(skip)(
    'a NUL or control character in a key name, username or model is stripped from the log, and later bills are written',
    async () => {
      const hostile = await account();
      const next = await account();
      await db.repos.usage.recordConsumptions([
        billOf(hostile, 7, {
          tokenName: 'nul\u0000x',
          username: 'bell\u0007\u001b[31m',
          model: 'gpt\u0000-4o\u007f-mini',
          requestId: `nul\u0000id-${name}`,
        }),
        billOf(next, 11),
      ]);
      await db.repos.usage.recordConsumptions([billOf(next, 13)]);

      expect(await logsOf(hostile.user.id)).toEqual([
        expect.objectContaining({
          tokenName: 'nulx',
          username: 'bell[31m',
          model: 'gpt-4o-mini',
          requestId: `nulid-${name}`,
          quota: 7,
        }),
      ]);
      // A filter with the same characters finds it, and none reaches the SQL.
      const { items } = await db.repos.logs.list({ tokenName: 'nul\u0000x', page: 1, pageSize: 9 });
      expect(items.map((log) => log.userId)).toEqual([hostile.user.id]);
      expect(await db.repos.logs.stats({ username: 'bell\u0007\u001b[31m' })).toMatchObject({
        quota: 7,
      });
      expect((await logsOf(next.user.id)).map((log) => log.quota).sort()).toEqual([11, 13]);
      expect((await db.repos.tokens.get(hostile.token.id))?.usedQuota).toBe(7);
      expect((await db.repos.users.findById(next.user.id))?.usedQuota).toBe(24);
    },
  );

  it.skipIf(skip)('a name longer than its column is cut to the column, not refused', async () => {
    const owner = await account();
    await db.repos.usage.recordConsumptions([
      billOf(owner, 5, { tokenName: 'k'.repeat(80), model: `m${'😀'.repeat(140)}` }),
    ]);
    const [log] = await logsOf(owner.user.id);
    expect(log?.tokenName).toBe('k'.repeat(64));
    expect(log?.model).toBe(`m${'😀'.repeat(127)}`);
    expect((await db.repos.tokens.get(owner.token.id))?.usedQuota).toBe(5);
  });

  it.skipIf(skip)(
    'numbers a column cannot hold are clamped in the log; the charge is the bill’s quota',
    async () => {
      const owner = await account();
      await db.repos.usage.recordConsumptions([
        billOf(owner, 9, {
          // A stream that ended before its first byte; a duration that is not a number.
          ttftMs: -5e6,
          durationMs: Number.NaN,
          promptTokens: 2 ** 31 + 5,
          completionTokens: Number.POSITIVE_INFINITY,
        }),
        billOf(owner, 4, { ttftMs: 12.6, durationMs: 1e300 }),
      ]);
      const logs = await logsOf(owner.user.id);
      expect(logs.find((log) => log.quota === 9)).toMatchObject({
        ttftMs: 0,
        durationMs: 0,
        promptTokens: INTEGER_MAX,
        completionTokens: 0,
      });
      expect(logs.find((log) => log.quota === 4)).toMatchObject({
        ttftMs: 13,
        durationMs: INTEGER_MAX,
      });
      expect((await db.repos.tokens.get(owner.token.id))?.usedQuota).toBe(13);
      expect((await db.repos.users.findById(owner.user.id))?.usedQuota).toBe(13);
    },
  );

  it.skipIf(skip)('a quota that is not a safe integer is refused before any SQL', async () => {
    const owner = await account();
    await expect(
      db.repos.usage.recordConsumptions([billOf(owner, 3), billOf(owner, Number.NaN)]),
    ).rejects.toThrow(/not an integer/);
    expect(await logsOf(owner.user.id)).toEqual([]);
    expect((await db.repos.tokens.get(owner.token.id))?.usedQuota).toBe(0);
  });

  it.skipIf(skip)(
    'the same bills recorded twice (a retry after a lost COMMIT answer) are charged once',
    async () => {
      const owner = await account();
      const channel = await db.repos.channels.create({
        type: 'openai-compatible',
        name: `bill channel ${name}`,
        key: 'sk-upstream-test-key-0123456789',
        baseUrl: 'http://127.0.0.1:9',
        models: ['gpt-4o-mini'],
      });
      const onChannel = (quota: number) => {
        const bill = billOf(owner, quota, { channelId: channel.id });
        return { ...bill, channelId: channel.id };
      };
      const bills = [30, 40, 50].map(onChannel);
      await db.repos.usage.recordConsumptions(bills);
      await db.repos.usage.recordConsumptions(bills);
      // A retried batch also carries bills that were never written.
      await db.repos.usage.recordConsumptions([...bills, onChannel(7)]);

      const logs = await logsOf(owner.user.id);
      expect(logs.map((log) => log.quota).sort((a, b) => a - b)).toEqual([7, 30, 40, 50]);
      const token = await db.repos.tokens.get(owner.token.id);
      expect(token).toMatchObject({ usedQuota: 127, remainQuota: 500_000 - 127 });
      const user = await db.repos.users.findById(owner.user.id);
      expect(user).toMatchObject({ usedQuota: 127, quota: 1_000_000 - 127, requestCount: 4 });
      expect((await db.repos.channels.get(channel.id))?.usedQuota).toBe(127);
    },
  );

  it.skipIf(skip)(
    'a consume log’s request id is unique; system logs without one are not',
    async () => {
      const owner = await account();
      const log = billOf(owner, 1).log;
      await db.repos.logs.insertMany([log]);
      await expect(db.repos.logs.insertMany([{ ...log, quota: 2 }])).rejects.toThrow();
      const system = { userId: owner.user.id, type: LogType.system, createdAt: nowSeconds() };
      await db.repos.logs.insertMany([system, system]);
      await db.repos.logs.insert(system);
      const { total } = await db.repos.logs.list({ userId: owner.user.id, page: 1, pageSize: 10 });
      expect(total).toBe(4);
    },
  );

  it.skipIf(skip)(
    'batches from several proxies over the same keys, in opposite orders, never deadlock',
    async () => {
      // Three keys of three owners, billed by three writers at once, each in its own order:
      // rows locked in the order bills arrived would wait on each other in a cycle.
      const accounts = [await account(), await account(), await account()];
      const orders = [
        [0, 1, 2],
        [2, 1, 0],
        [1, 2, 0],
      ];
      const failures: string[] = [];
      for (let round = 0; round < 30; round++) {
        await Promise.all(
          orders.map((order) =>
            db.repos.usage
              .recordConsumptions(order.map((i) => billOf(accounts[i]!, 1)))
              .catch((error: Error) => failures.push(error.message)),
          ),
        );
      }
      expect(failures).toEqual([]);
      for (const { token, user } of accounts) {
        expect((await db.repos.tokens.get(token.id))?.usedQuota).toBe(90);
        expect((await db.repos.users.findById(user.id))?.usedQuota).toBe(90);
      }
    },
  );

  it.skipIf(skip)(
    'a request logged twice before ids were unique keeps both logs through the migration',
    async () => {
      const fresh = await createTestDatabase(name);
      const sequelize = createSequelize(readStorageConfig(fresh.env).database);
      try {
        await migrate(sequelize, [initial]);
        const log = (quota: number, requestId: string) => ({
          user_id: 1,
          created_at: nowSeconds(),
          type: LogType.consume,
          content: '',
          quota,
          request_id: requestId,
        });
        const qi = sequelize.getQueryInterface();
        await qi.bulkInsert('logs', [log(5, 'twice'), log(5, 'twice'), log(1, ''), log(1, '')]);
        expect(await migrate(sequelize)).toContain('0002-unique-request-ids');
        const rows = await sequelize.query<{ request_id: string; quota: number | string }>(
          'SELECT request_id, quota FROM logs ORDER BY id',
          { type: QueryTypes.SELECT },
        );
        expect(rows.map((row) => [row.request_id, Number(row.quota)])).toEqual([
          ['twice', 5],
          ['twice#2', 5],
          ['', 1],
          ['', 1],
        ]);
        await expect(qi.bulkInsert('logs', [log(5, 'twice')])).rejects.toThrow();
        await qi.bulkInsert('logs', [log(1, '')]);
      } finally {
        await sequelize.close();
        await fresh.drop();
      }
    },
  );
});
