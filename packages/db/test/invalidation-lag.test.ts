import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { cacheBackends, createTestDatabase, type TestDatabase } from '../src/testing/backends.js';
import { openTestDatabase } from './helpers.js';

async function until(check: () => boolean, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How long a change takes from its writer to another node, by the bus that carried it. */
describe.each(cacheBackends())('invalidation lag on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let writer: Database;
  let reader: Database;
  const heard: { via: string; seconds: number }[] = [];

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase('sqlite');
    const redisUrl = name === 'redis' ? process.env.TEST_REDIS_URL : undefined;
    writer = await openTestDatabase(testDb, { redisUrl });
    reader = await openTestDatabase(testDb, { redisUrl });
    reader.cache.onInvalidationLag((via, seconds) => heard.push({ via, seconds }));
  });
  afterAll(async () => {
    await writer?.close();
    await reader?.close();
    await testDb?.drop();
  });

  it.skipIf(skip)('is reported for each bus that carries a change', async () => {
    await writer.cache.invalidate(['options']);
    const buses = name === 'redis' ? ['database', 'redis'] : ['database'];
    await until(() => buses.every((bus) => heard.some((each) => each.via === bus)));
    for (const { seconds } of heard) {
      expect(seconds).toBeGreaterThanOrEqual(0);
      expect(seconds).toBeLessThan(5);
    }
  });

  it.skipIf(skip || name !== 'redis')(
    'keeps Redis messages readable across versions: an array of keys, old ones still obeyed',
    async () => {
      const listener = new Redis(process.env.TEST_REDIS_URL!);
      const messages: { channel: string; keys: unknown }[] = [];
      try {
        listener.on('pmessage', (_pattern, channel: string, message: string) => {
          messages.push({ channel, keys: JSON.parse(message) });
        });
        await listener.psubscribe('*invalidate');
        await writer.cache.invalidate(['channels']);
        await until(() => messages.length > 0);
        // What an earlier version parses: every element a string, the key first.
        const [{ channel, keys }] = messages as [{ channel: string; keys: string[] }];
        expect(keys[0]).toBe('channels');
        expect(keys.every((key) => typeof key === 'string')).toBe(true);

        // A message from an earlier version (no publish time) still drops the copy.
        let loads = 0;
        const load = () => Promise.resolve(++loads);
        await reader.cache.getOrLoad('options', load, { localOnly: true });
        const publisher = new Redis(process.env.TEST_REDIS_URL!);
        try {
          await publisher.publish(channel, JSON.stringify(['options']));
        } finally {
          publisher.disconnect();
        }
        await until(() => {
          void reader.cache.getOrLoad('options', load, { localOnly: true });
          return loads >= 2;
        });
      } finally {
        listener.disconnect();
      }
    },
  );
});
