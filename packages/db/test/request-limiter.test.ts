import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis, createRedisClient } from '../src/cache/redis-client.js';
import { RequestLimiter, type Slot } from '../src/cache/request-limiter.js';
import { cacheBackends } from '../src/testing/backends.js';
import { TcpGate } from '../src/testing/tcp-gate.js';

const redisUrl = process.env.TEST_REDIS_URL;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A clock the test moves: 15 s into a minute, so the minute ends 45 s later. */
function testClock() {
  let now = 29_000_000 * 60_000 + 15_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

let run = 0;

describe.each(cacheBackends())('per-key limits counted with the $name cache', ({ name, skip }) => {
  const clients: Redis[] = [];
  // Each test gets its own namespace, as each database has its own in a shared Redis.
  let prefix = '';

  async function node(clock: () => number): Promise<RequestLimiter> {
    let redis: Redis | undefined;
    if (name === 'redis') {
      redis = createRedisClient(redisUrl!, quiet, 'test');
      await connectRedis(redis);
      clients.push(redis);
    }
    return new RequestLimiter({ prefix, redis, logger: quiet, now: clock });
  }

  beforeEach(() => {
    prefix = `limiter-test-${process.pid}-${Date.now()}-${++run}:`;
  });
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it.skipIf(skip)(
    'admits exactly the requests per minute of 100 concurrent ones over two nodes, then a new minute',
    async () => {
      const clock = testClock();
      const [a, b] = [await node(clock.now), await node(clock.now)];
      const limits = { rpm: 60, tpm: 0 };
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).admitRequest('k1', limits)),
      );
      const refused = outcomes.filter((outcome) => outcome !== undefined);
      // Without Redis each node counts for itself: 50 each, all admitted.
      expect(100 - refused.length).toBe(name === 'redis' ? 60 : 100);
      for (const refusal of refused)
        expect(refusal).toEqual({ exceeded: 'rpm', retryAfterSeconds: 45 });

      clock.advance(60_000);
      expect(await a.admitRequest('k1', limits)).toBeUndefined();
      expect(await a.admitRequest('another key', { rpm: 1, tpm: 0 })).toBeUndefined();
      expect(await a.admitRequest('another key', { rpm: 1, tpm: 0 })).toEqual({
        exceeded: 'rpm',
        retryAfterSeconds: 45,
      });
    },
  );

  it.skipIf(skip)(
    'refuses once the minute has seen its tokens, until the next minute',
    async () => {
      const clock = testClock();
      const limiter = await node(clock.now);
      const limits = { rpm: 0, tpm: 100 };
      expect(await limiter.admitRequest('k2', limits)).toBeUndefined();
      await limiter.addTokens('k2', 60);
      expect(await limiter.admitRequest('k2', limits)).toBeUndefined();
      await limiter.addTokens('k2', 40);
      clock.advance(44_500);
      expect(await limiter.admitRequest('k2', limits)).toEqual({
        exceeded: 'tpm',
        retryAfterSeconds: 1,
      });
      // Hostile counts from an upstream change nothing.
      await limiter.addTokens('k2', Number.NaN);
      await limiter.addTokens('k2', -1e9);
      clock.advance(1_000);
      expect(await limiter.admitRequest('k2', limits)).toBeUndefined();
    },
  );

  it.skipIf(skip)(
    'holds requests in flight to the limit and frees a place when one ends',
    async () => {
      const limiter = await node(testClock().now);
      const first = await limiter.acquireSlot('k3', 2);
      const second = await limiter.acquireSlot('k3', 2);
      expect(first && second).toBeTruthy();
      expect(await limiter.acquireSlot('k3', 2)).toBeUndefined();
      await first!.release();
      const third = await limiter.acquireSlot('k3', 2);
      expect(third).toBeDefined();
      await second!.release();
      await third!.release();
      expect(await limiter.acquireSlot('k3', 1)).toBeDefined();
    },
  );

  it.skipIf(name !== 'redis' || !!skip)(
    "shares the places across nodes, and a dead node's places come back when its mark lapses",
    async () => {
      const clock = testClock();
      const [a, b] = [await node(clock.now), await node(clock.now)];
      const held: Slot[] = [];
      for (let i = 0; i < 3; i++) held.push((await a.acquireSlot('k4', 3))!);
      expect(held.every(Boolean)).toBe(true);
      expect(await b.acquireSlot('k4', 3)).toBeUndefined();

      // Node a dies without releasing (SIGKILL): its renewals stop, its mark expires.
      expect(await clients[0]!.del(`${prefix}node:${a.nodeId}`)).toBe(1);
      expect(await b.acquireSlot('k4', 3)).toBeDefined();
      await a.close();
      await b.close();
    },
  );

  it.skipIf(name !== 'redis' || !!skip)(
    'a node that shuts down frees its places on every node at once',
    async () => {
      const [a, b] = [await node(Date.now), await node(Date.now)];
      expect(await a.acquireSlot('k5', 1)).toBeDefined();
      expect(await b.acquireSlot('k5', 1)).toBeUndefined();
      await a.close();
      expect(await b.acquireSlot('k5', 1)).toBeDefined();
      await b.close();
    },
  );
});

describe.skipIf(!redisUrl)('per-key limits while Redis is down', () => {
  let gate: TcpGate;
  let redis: Redis;

  beforeAll(async () => {
    const target = new URL(redisUrl!);
    gate = new TcpGate(target.hostname, Number(target.port || 6379));
    redis = createRedisClient(`redis://127.0.0.1:${await gate.open()}`, quiet, 'test');
    await connectRedis(redis);
  });
  afterAll(async () => {
    redis?.disconnect();
    await gate?.close();
  });

  it('counts on the node instead, exactly, and never throws', async () => {
    const clock = testClock();
    const limiter = new RequestLimiter({
      prefix: `limiter-outage-${process.pid}-${Date.now()}:`,
      redis,
      logger: quiet,
      now: clock.now,
    });
    await gate.close();
    const limits = { rpm: 5, tpm: 0 };
    const outcomes = [];
    for (let i = 0; i < 8; i++) outcomes.push(await limiter.admitRequest('k6', limits));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(5);
    const slot = await limiter.acquireSlot('k6', 1);
    expect(slot).toBeDefined();
    expect(await limiter.acquireSlot('k6', 1)).toBeUndefined();
    await slot!.release();
    expect(await limiter.acquireSlot('k6', 1)).toBeDefined();
    await limiter.close();
  });
});
