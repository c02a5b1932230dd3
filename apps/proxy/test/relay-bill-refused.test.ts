import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openDatabase,
  readStorageConfig,
  Role,
  sha256Hex,
  type Consumption,
  type Database,
  type Payer,
} from '@chat-api/db';
import {
  createTestDatabase,
  databaseBackends,
  type DatabaseBackend,
  type TestDatabase,
} from '@chat-api/db/testing';
import { BillWriter } from '../src/relay/bill-writer.js';
import { consumptionOf } from '../src/relay/bill.js';
import { quiet } from './harness.js';

/** What the database refuses in these tests: a consume log of 4242 prompt tokens. */
const REFUSED_PROMPT = 4242;

/** A trigger standing in for any row a database refuses (a constraint, a character set). */
function refusingTrigger(backend: DatabaseBackend): string[] {
  switch (backend) {
    case 'sqlite':
      return [
        `CREATE TRIGGER refuse_log BEFORE INSERT ON logs WHEN NEW.prompt_tokens = ${REFUSED_PROMPT}
         BEGIN SELECT RAISE(ABORT, 'log refused by the operator''s rule'); END`,
      ];
    case 'postgres':
      return [
        `CREATE FUNCTION refuse_log() RETURNS trigger AS $$ BEGIN
           IF NEW.prompt_tokens = ${REFUSED_PROMPT} THEN
             RAISE EXCEPTION 'log refused by the operator''s rule';
           END IF;
           RETURN NEW;
         END $$ LANGUAGE plpgsql`,
        `CREATE TRIGGER refuse_log BEFORE INSERT ON logs FOR EACH ROW EXECUTE FUNCTION refuse_log()`,
      ];
    case 'mysql':
      return [
        `CREATE TRIGGER refuse_log BEFORE INSERT ON logs FOR EACH ROW BEGIN
           IF NEW.prompt_tokens = ${REFUSED_PROMPT} THEN
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'log refused by the operator''s rule';
           END IF;
         END`,
      ];
  }
}

/**
 * One bill the database refused made the whole batch retry for ever: from then on no request
 * by anyone was billed. The writer now sets the refused bill apart and writes the others.
 */
describe.each(databaseBackends())('bills the database refuses, on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let db: Database;
  let writer: BillWriter;
  const errors: string[] = [];
  let accounts = 0;
  let requests = 0;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
    for (const statement of refusingTrigger(name)) await db.sequelize.query(statement);
    writer = new BillWriter(db, { ...quiet, error: (line) => errors.push(line) }, { delayMs: 10 });
  });
  afterAll(async () => {
    await writer?.close();
    await db?.close();
    await testDb?.drop();
  });

  async function account(remainQuota = 100_000) {
    const user = await db.repos.users.create({
      username: `refused_${++accounts}`,
      password: 'password-123',
      role: Role.common,
      quota: 1_000_000,
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'key',
      unlimitedQuota: false,
      remainQuota,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    const payer: Payer = {
      tokenId: token.id,
      keyHash: sha256Hex(key),
      userId: user.id,
      unlimitedQuota: false,
    };
    return { user, token, key, payer };
  }

  type Account = Awaited<ReturnType<typeof account>>;

  /** An answered request's bill, held at admission as the relay holds it. */
  async function bill(
    { user, payer }: Account,
    quota: number,
    numbers: { promptTokens?: number; ttftMs?: number; durationMs?: number; hold?: number } = {},
  ): Promise<Consumption> {
    const admitted = await db.repos.usage.hold(payer, numbers.hold ?? 10);
    if (!('held' in admitted)) throw new Error(`refused: ${admitted.refusal}`);
    return consumptionOf({
      payer,
      held: admitted.held,
      remindBelow: 0,
      keepLog: true,
      token: { name: 'key' },
      owner: { id: user.id, username: user.username },
      channelId: 0,
      model: 'gpt-4o-mini',
      quota,
      usage: { promptTokens: numbers.promptTokens ?? 10, completionTokens: 20 },
      isStream: true,
      ttftMs: numbers.ttftMs ?? 100,
      durationMs: numbers.durationMs ?? 300,
      requestId: `refused-${name}-${++requests}`,
      other: '{"modelRatio":0.075}',
    });
  }

  async function consumeLogs(userId: number) {
    return (await db.repos.logs.list({ userId, type: 2, page: 1, pageSize: 100 })).items;
  }

  async function write(...bills: Consumption[]) {
    for (const one of bills) writer.add(one);
    await writer.flush();
  }

  it.skipIf(skip)(
    'writes the batch’s other bills, charges the refused one with a plain log naming the reason, and keeps writing',
    async () => {
      const owner = await account();
      const others = await account();
      const refused = await bill(owner, 50, { promptTokens: REFUSED_PROMPT });
      const batch = [await bill(others, 1), await bill(others, 2), refused, await bill(others, 3)];
      await write(...batch);

      expect((await consumeLogs(others.user.id)).map((log) => log.quota).sort()).toEqual([1, 2, 3]);
      const [plain] = await consumeLogs(owner.user.id);
      expect(plain).toMatchObject({ quota: 50, requestId: refused.log.requestId, promptTokens: 0 });
      expect(JSON.parse(plain?.other ?? '{}')).toEqual({
        refused: expect.stringContaining('log refused by the operator'),
      });
      expect((await db.repos.tokens.get(owner.token.id))?.usedQuota).toBe(50);
      expect((await db.repos.users.findById(owner.user.id))?.usedQuota).toBe(50);
      expect(writer.refusals.plain).toBe(1);
      expect(errors.some((line) => line.includes(refused.log.requestId!))).toBe(true);

      await write(await bill(others, 4));
      expect(await consumeLogs(others.user.id)).toHaveLength(4);
      expect((await db.repos.tokens.get(others.token.id))?.usedQuota).toBe(10);
    },
  );

  it.skipIf(skip)(
    'writes a stream that ended before its first byte and counts past INTEGER, numbers clamped',
    async () => {
      const owner = await account();
      await write(
        await bill(owner, 7, { ttftMs: -5e6, promptTokens: 2 ** 31 + 5, durationMs: Number.NaN }),
        await bill(owner, 8),
      );
      const logs = await consumeLogs(owner.user.id);
      expect(logs.find((log) => log.quota === 7)).toMatchObject({
        ttftMs: 0,
        durationMs: 0,
        promptTokens: 2 ** 31 - 1,
      });
      expect((await db.repos.tokens.get(owner.token.id))?.usedQuota).toBe(15);
    },
  );

  it.skipIf(skip)(
    'reports and drops a bill that cannot be charged (its quota is no number), frees its hold, and keeps writing',
    async () => {
      const owner = await account(100);
      const others = await account();
      const broken = await bill(owner, Number.NaN, { hold: 100 });
      await write(await bill(others, 5), broken, await bill(others, 6));

      expect((await consumeLogs(others.user.id)).map((log) => log.quota).sort()).toEqual([5, 6]);
      expect(await consumeLogs(owner.user.id)).toEqual([]);
      expect(writer.refusals.dropped).toBe(1);
      const report = errors.find((line) => line.includes(broken.log.requestId!));
      expect(report).toContain('"quota":"NaN"');
      expect(report).toContain(owner.payer.keyHash);
      expect(report).not.toContain(owner.key);
      // The whole quota it held is free again.
      expect(await db.repos.usage.hold(owner.payer, 100)).toMatchObject({ held: { amount: 100 } });

      await write(await bill(others, 7));
      expect(await consumeLogs(others.user.id)).toHaveLength(3);
    },
  );
});
