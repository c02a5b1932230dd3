import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CacheKeys } from '../src/cache/keys.js';
import type { Database } from '../src/database.js';
import { TokenStatus } from '../src/models/token.js';
import { cacheBackends, createTestDatabase, type TestDatabase } from '../src/testing/backends.js';
import { TcpGate } from '../src/testing/tcp-gate.js';
import { openTestDatabase } from './helpers.js';

/** Retries `read` until it returns `expected` or `withinMs` passes; resolves to the elapsed time. */
async function eventually<T>(
  read: () => Promise<T>,
  expected: T,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await read()) === expected) return Date.now() - started;
    if (Date.now() - started > withinMs)
      throw new Error(`still not ${String(expected)} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const LOCAL = { localOnly: true } as const;

describe.each(cacheBackends())('cache on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let gate: TcpGate | undefined;
  let nodeA: Database;
  let nodeB: Database;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase('sqlite');
    let redisUrl: string | undefined;
    if (name === 'redis') {
      // Both nodes reach Redis through a gate the test can shut, as an outage would.
      const target = new URL(process.env.TEST_REDIS_URL!);
      gate = new TcpGate(target.hostname, Number(target.port || 6379));
      redisUrl = `redis://127.0.0.1:${await gate.open()}`;
    }
    nodeA = await openTestDatabase(testDb, { redisUrl });
    nodeB = await openTestDatabase(testDb, { redisUrl });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await gate?.close();
    await testDb?.drop();
  });
  afterEach(async () => {
    await gate?.open();
  });

  it.skipIf(skip)(`reports itself as ${name}`, () => {
    expect(nodeA.cache.backend).toBe(name);
  });

  it.skipIf(skip)('keeps notes for their time, shared by every node through Redis', async () => {
    const key = CacheKeys.continuation(`resp_${name}`);
    await nodeA.cache.remember(key, 7, 1);
    expect(await nodeA.cache.recall(key)).toBe(7);
    // Without Redis a note stays on its node: a hint, never a promise.
    expect(await nodeB.cache.recall(key)).toBe(name === 'redis' ? 7 : undefined);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await nodeA.cache.recall(key)).toBeUndefined();
    expect(await nodeB.cache.recall(key)).toBeUndefined();
  });

  it.skipIf(skip)('loads once, then answers from the cache', async () => {
    let loads = 0;
    const load = async () => ({ loads: ++loads });
    expect(await nodeA.cache.getOrLoad('test:once', load)).toEqual({ loads: 1 });
    expect(await nodeA.cache.getOrLoad('test:once', load)).toEqual({ loads: 1 });
    expect(loads).toBe(1);
  });

  it.skipIf(skip)('shares one load among concurrent misses on a key', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { loads };
    };
    const values = await Promise.all(
      Array.from({ length: 50 }, () => nodeA.cache.getOrLoad(`test:burst:${name}`, load)),
    );
    expect(loads).toBe(1);
    expect(new Set(values).size).toBe(1);
  });

  it.skipIf(skip)(
    'a load that an invalidation overtook is not shared with later misses',
    async () => {
      let version = 'old';
      let release: () => void = () => undefined;
      let started: () => void = () => undefined;
      const loading = new Promise<void>((resolve) => (started = resolve));
      const slowOld = async () => {
        const read = version;
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return read;
      };
      const first = nodeA.cache.getOrLoad(`test:raced:${name}`, slowOld);
      await loading;
      version = 'new';
      await nodeA.cache.invalidate([`test:raced:${name}`]);
      const later = await nodeA.cache.getOrLoad(`test:raced:${name}`, async () => version);
      release();
      expect(await first).toBe('old');
      expect(later).toBe('new');
    },
  );

  it.skipIf(skip)('a change on one node reaches the other within 1 s', async () => {
    let version = 'v1';
    const load = async () => version;
    expect(await nodeA.cache.getOrLoad('test:shared', load)).toBe('v1');
    version = 'v2';
    expect(await nodeA.cache.getOrLoad('test:shared', load)).toBe('v1'); // cached
    await nodeB.cache.invalidate(['test:shared']);
    const elapsed = await eventually(() => nodeA.cache.getOrLoad('test:shared', load), 'v2', 1000);
    expect(elapsed).toBeLessThanOrEqual(1000);
  });

  it.skipIf(skip)(
    'a token disabled through one node is refused by the other within 1 s',
    async () => {
      const { key } = await nodeB.repos.tokens.create(1, { name: 'shared' });
      const keyHash = (await import('../src/secrets.js')).sha256Hex(key);
      const status = async () =>
        (
          await nodeA.cache.getOrLoad(CacheKeys.token(keyHash), () =>
            nodeA.repos.tokens.findByKey(key),
          )
        )?.status;
      expect(await status()).toBe(TokenStatus.enabled);
      const token = await nodeB.repos.tokens.findByKey(key);
      await nodeB.repos.tokens.update(token!.id, undefined, { status: TokenStatus.disabled });
      await eventually(status, TokenStatus.disabled, 1000);
    },
  );

  it.skipIf(skip)('counts requests per window and refuses past the limit', async () => {
    const key = `test:${Math.random()}`;
    expect((await nodeA.cache.rateLimiter.hit(key, 2, 60)).allowed).toBe(true);
    expect((await nodeA.cache.rateLimiter.hit(key, 2, 60)).allowed).toBe(true);
    const refused = await nodeA.cache.rateLimiter.hit(key, 2, 60);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Redis shares the count across nodes; without it each node counts its own requests.
    expect((await nodeB.cache.rateLimiter.hit(key, 2, 60)).allowed).toBe(name === 'memory');
  });

  if (name !== 'redis') return;

  it.skipIf(skip)('keeps answering from the database while Redis is down', async () => {
    let version = 'before';
    const load = async () => version;
    expect(await nodeA.cache.getOrLoad('test:outage', load)).toBe('before');
    await gate!.close();

    // New keys load from the database; answers come fast, not after a Redis timeout.
    const started = Date.now();
    expect(await nodeA.cache.getOrLoad('test:outage-new', async () => 'from-db')).toBe('from-db');
    expect(Date.now() - started).toBeLessThan(500);

    // A change made during the outage reaches the other node once Redis is back.
    version = 'during';
    await expect(nodeB.cache.invalidate(['test:outage'])).resolves.toBeUndefined();
    await gate!.open();
    await eventually(() => nodeA.cache.getOrLoad('test:outage', load), 'during', 5000);
  });

  it.skipIf(name !== 'redis' || !!skip)(
    'keeps its cached entries when Redis reconnects: the database feed carried every change',
    async () => {
      let loads = 0;
      // Kept out of Redis, so that only this node's copy can answer.
      const get = () => nodeA.cache.getOrLoad('test:reconnect', async () => ++loads, LOCAL);
      expect(await get()).toBe(1);
      await gate!.close();
      await gate!.open();
      // Until both of the node's Redis connections are back (ioredis retries within 2 s).
      await eventually(
        async () => {
          await nodeB.cache.remember('test:reconnect-probe', 1, 60);
          return (await nodeA.cache.recall('test:reconnect-probe')) === 1;
        },
        true,
        5000,
      );
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await get()).toBe(1);
      // And a change still arrives.
      await nodeB.cache.invalidate(['test:reconnect']);
      await eventually(get, 2, 1000);
    },
  );

  it.skipIf(skip)('keeps and recalls notes on its own node while Redis is down', async () => {
    await gate!.close();
    const key = CacheKeys.continuation('resp_outage');
    // Neither call fails: a note is a hint the relay copes without.
    await expect(nodeA.cache.remember(key, 9, 60)).resolves.toBeUndefined();
    expect(await nodeA.cache.recall(key)).toBe(9);
    expect(await nodeB.cache.recall(key)).toBeUndefined();
  });
});

describe('the local copy at a full resync', () => {
  it('lets every entry expire within the window, each at its own moment', async () => {
    const { LocalStore } = await import('../src/cache/local-store.js');
    const store = new LocalStore();
    for (let i = 0; i < 200; i++) store.set(`key${i}`, i, 3600);
    store.expireWithin(400);
    const present = () =>
      Array.from({ length: 200 }, (_, i) => store.get(`key${i}`)).filter(Boolean);
    // Spread over the window: not all gone at once (each stays a random part of 400 ms) ...
    expect(present().length).toBeGreaterThan(100);
    await new Promise((resolve) => setTimeout(resolve, 450));
    // ... and none left after it.
    expect(present()).toHaveLength(0);
  });
});
