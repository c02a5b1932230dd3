import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseInvalidationBus } from '../src/cache/database-bus.js';
import type { Database } from '../src/database.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { TcpGate } from '../src/testing/tcp-gate.js';
import { openTestDatabase, quietLogger } from './helpers.js';

const servers = databaseBackends().filter((backend) => backend.name !== 'sqlite');

/** A feed of its own on the database, collecting every key it delivers. */
async function listen(db: Database): Promise<{ seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const feed = new DatabaseInvalidationBus(db.models, quietLogger);
  await feed.start((keys) => seen.push(...(keys ?? ['*'])));
  return { seen, close: () => feed.close() };
}

/**
 * On PostgreSQL and MySQL an id is handed out before its row commits: a writer that commits
 * late leaves a smaller id behind a larger one that other nodes have already read.
 */
describe.each(servers)('the database change feed on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let writer: Database;
  let lateWriter: Database;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    writer = await openTestDatabase(testDb);
    lateWriter = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await lateWriter?.close();
    await writer?.close();
    await testDb?.drop();
  });

  it.skipIf(skip)('delivers a change whose id committed after a larger one', async () => {
    const feed = await listen(writer);
    try {
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => (commit = resolve));
      let inserted!: () => void;
      const insertedEarly = new Promise<void>((resolve) => (inserted = resolve));
      const late = lateWriter.sequelize.transaction(async (transaction) => {
        await lateWriter.models.CacheEvent.create(
          { key: 'token:late', createdTime: 0 },
          { transaction },
        );
        inserted();
        await committing;
      });
      await insertedEarly;
      await writer.cache.invalidate(['token:early']);
      await expect.poll(() => feed.seen.includes('token:early'), { timeout: 3000 }).toBe(true);
      commit();
      await late;
      await expect.poll(() => feed.seen.includes('token:late'), { timeout: 3000 }).toBe(true);
    } finally {
      await feed.close();
    }
  });
});

/**
 * SQLite hands out ids under its write lock, so its commits come in id order; a row that lands
 * below the cursor all the same (written with its id) is the case above, and must arrive too.
 */
describe('the database change feed on sqlite', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('delivers a change whose id lands below one already read', async () => {
    const feed = await listen(db);
    try {
      const last = ((await db.models.CacheEvent.max('id')) as number | null) ?? 0;
      await db.models.CacheEvent.create({ id: last + 2, key: 'token:early', createdTime: 0 });
      await expect.poll(() => feed.seen.includes('token:early'), { timeout: 3000 }).toBe(true);
      await db.models.CacheEvent.create({ id: last + 1, key: 'token:late', createdTime: 0 });
      await expect.poll(() => feed.seen.includes('token:late'), { timeout: 3000 }).toBe(true);
    } finally {
      await feed.close();
    }
  });
});

/** Two nodes over one SQLite file, each reaching the test Redis through a gate of its own. */
describe.skipIf(!process.env.TEST_REDIS_URL)('changes while Redis is down', () => {
  let testDb: TestDatabase;
  const opened: { node: Database; gate: TcpGate }[] = [];
  let version = 'v1';
  const load = async () => version;

  async function openNode(): Promise<{ node: Database; gate: TcpGate }> {
    const target = new URL(process.env.TEST_REDIS_URL!);
    const gate = new TcpGate(target.hostname, Number(target.port || 6379));
    const node = await openTestDatabase(testDb, {
      redisUrl: `redis://127.0.0.1:${await gate.open()}`,
    });
    const opening = { node, gate };
    opened.push(opening);
    return opening;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    for (const { node, gate } of opened.splice(0)) {
      await node.close();
      await gate.close();
    }
    version = 'v1';
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('reach a node whose Redis is down through the database within a second', async () => {
    const a = await openNode();
    const b = await openNode();
    expect(await a.node.cache.getOrLoad('test:down', load, { localOnly: true })).toBe('v1');
    await a.gate.close();
    await b.gate.close();
    version = 'v2';
    await b.node.cache.invalidate(['test:down']);
    await expect
      .poll(() => a.node.cache.getOrLoad('test:down', load, { localOnly: true }), {
        timeout: 1500,
        interval: 50,
      })
      .toBe('v2');
  });

  it('reach a node whose Redis is up when the writer could not delete the Redis copy', async () => {
    const a = await openNode();
    const b = await openNode();
    expect(await a.node.cache.getOrLoad('test:partition', load)).toBe('v1');
    expect(await b.node.cache.getOrLoad('test:partition', load)).toBe('v1');
    await a.gate.close();
    version = 'v2';
    await a.node.cache.invalidate(['test:partition']);
    await expect
      .poll(() => b.node.cache.getOrLoad('test:partition', load), { timeout: 1500, interval: 50 })
      .toBe('v2');
  });

  it('leave no old copy in Redis once it is back, even when the writer has stopped', async () => {
    const a = await openNode();
    const b = await openNode();
    expect(await a.node.cache.getOrLoad('test:back', load)).toBe('v1');
    expect(await b.node.cache.getOrLoad('test:back', load)).toBe('v1');
    await a.gate.close();
    await b.gate.close();
    version = 'v2';
    await a.node.cache.invalidate(['test:back']);
    await expect
      .poll(() => b.node.cache.getOrLoad('test:back', load), { timeout: 1500, interval: 50 })
      .toBe('v2');
    // The writer goes away before Redis is back: only the node that heard of it is left.
    await a.node.close();
    opened.splice(opened.indexOf(a), 1);
    await b.gate.open();
    // A node started now reads Redis first: it must not get the copy from before the change.
    await expect
      .poll(
        async () => {
          const c = await openNode();
          return c.node.cache.getOrLoad('test:back', load);
        },
        { timeout: 8000, interval: 200 },
      )
      .toBe('v2');
    // And changes flow through Redis and the database again.
    version = 'v3';
    await b.node.cache.invalidate(['test:back']);
    const latest = opened.at(-1)!.node;
    await expect
      .poll(() => latest.cache.getOrLoad('test:back', load), { timeout: 1500, interval: 50 })
      .toBe('v3');
  });
});
