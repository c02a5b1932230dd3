import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const seen: string[] = [];
    const feed = new DatabaseInvalidationBus(writer.models, quietLogger);
    await feed.start((keys) => seen.push(...(keys ?? ['*'])));
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
      await expect.poll(() => seen.includes('token:early'), { timeout: 3000 }).toBe(true);
      commit();
      await late;
      await expect.poll(() => seen.includes('token:late'), { timeout: 3000 }).toBe(true);
    } finally {
      await feed.close();
    }
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('changes while Redis is down', () => {
  let testDb: TestDatabase;
  let gate: TcpGate;
  let nodeA: Database;
  let nodeB: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    const target = new URL(process.env.TEST_REDIS_URL!);
    gate = new TcpGate(target.hostname, Number(target.port || 6379));
    const redisUrl = `redis://127.0.0.1:${await gate.open()}`;
    nodeA = await openTestDatabase(testDb, { redisUrl });
    nodeB = await openTestDatabase(testDb, { redisUrl });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await gate?.close();
    await testDb?.drop();
  });

  it('reach the other node through the database within a second', async () => {
    let version = 'before';
    const load = async () => version;
    expect(await nodeA.cache.getOrLoad('test:down', load, { localOnly: true })).toBe('before');
    await gate.close();
    version = 'after';
    await nodeB.cache.invalidate(['test:down']);
    await expect
      .poll(() => nodeA.cache.getOrLoad('test:down', load, { localOnly: true }), {
        timeout: 1500,
        interval: 50,
      })
      .toBe('after');
  });
});
