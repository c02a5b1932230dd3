import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHoldLedger, type HoldLedger } from '../src/cache/hold-ledger.js';
import { RedisHoldLedger } from '../src/cache/redis-hold-ledger.js';
import { cacheBackends } from '../src/testing/backends.js';

/** mulberry32: a failing sequence replays from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface InFlight {
  held: number;
  /** Admitted while the quota did not cover its hold: the one request that may pass it. */
  alone: boolean;
}

/**
 * Random sequences of admit / settle / release / grow / top-up / failed calls against a model
 * of the database: the ledger never admits past "one request over the quota", and once nothing
 * is in flight it holds exactly nothing (a hold of everything left fits, one more does not).
 */
describe.each(cacheBackends())('hold ledger properties in $name', ({ name, skip }) => {
  let redis: Redis | undefined;
  beforeAll(() => {
    if (!skip && name === 'redis') redis = new Redis(process.env.TEST_REDIS_URL!);
  });
  afterAll(() => redis?.disconnect());

  for (const seed of [1, 2, 3, 4, 5]) {
    it.skipIf(skip)(`seed ${seed}: 2,000 random steps keep the books`, async () => {
      const random = seeded(seed);
      const account = `token:${randomBytes(6).toString('hex')}`;
      let failNext: Failure | undefined;
      const client =
        redis &&
        failingOnDemand(redis, () => {
          const fail = failNext;
          failNext = undefined;
          return fail;
        });
      // Half the injected failures never reach Redis, half lose the reply after Redis ran them.
      const failure = (): Failure => (random() < 0.5 ? 'before' : 'after');
      const ledger: HoldLedger = client
        ? new RedisHoldLedger(client, `chat-api:prop-${randomBytes(4).toString('hex')}:`)
        : new MemoryHoldLedger();
      // The database: what the account was given and what its bills took.
      let granted = 300;
      let used = 0;
      let largestAlone = 0;
      const inFlight: InFlight[] = [];
      const row = () => ({ remain: granted - used, used });

      const hold = async (amount: number) => {
        for (let reads = 0; reads < 5; reads++) {
          const outcome = await ledger.hold([account], amount);
          if (outcome.kind !== 'read') return outcome.kind;
          await ledger.setBase(account, outcome.version, row());
        }
        throw new Error('kept reading');
      };
      const bill = async (request: InFlight, cost: number) => {
        used += cost;
        if (request.alone) largestAlone = Math.max(largestAlone, cost);
        await ledger.release([account], request.held - cost); // the bill replaces the hold
        await ledger.settle([{ account, held: cost, usedAfter: used }]);
      };

      for (let step = 0; step < 2_000; step++) {
        const roll = random();
        if (roll < 0.4) {
          const amount = 1 + Math.floor(random() * 60);
          const heldBefore = inFlight.reduce((sum, request) => sum + request.held, 0);
          const alone = granted - used - heldBefore < amount;
          if (client && random() < 0.05) failNext = failure();
          const outcome = await hold(amount).catch(() => 'failed' as const);
          if (outcome === 'held') inFlight.push({ held: amount, alone });
          // A hold the quota does not cover is admitted only when nothing else is in flight.
          if (outcome === 'held' && alone) expect(inFlight).toHaveLength(1);
        } else if (roll < 0.75 && inFlight.length > 0) {
          const request = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0]!;
          // A request costs at most its hold, unless it ran alone: then anything.
          const cost = request.alone
            ? Math.floor(random() * 3 * request.held)
            : Math.floor(random() * (request.held + 1));
          if (client && random() < 0.05) failNext = failure();
          await bill(request, cost);
        } else if (roll < 0.9 && inFlight.length > 0) {
          const request = inFlight.splice(Math.floor(random() * inFlight.length), 1)[0]!;
          if (client && random() < 0.05) failNext = failure();
          await ledger.release([account], request.held);
        } else if (roll < 0.95) {
          granted += Math.floor(random() * 40);
          await ledger.forget([account]).catch(() => undefined);
        }
        // Spend never passes what was granted by more than the one request that ran alone.
        expect(used).toBeLessThanOrEqual(granted + largestAlone);
      }

      for (const request of inFlight.splice(0)) await ledger.release([account], request.held);
      if (ledger instanceof RedisHoldLedger) await ledger.repair();
      await ledger.forget([account]);
      const left = granted - used;
      if (left > 0) {
        expect(await hold(left)).toBe('held');
        expect(await hold(1)).toBe('refused');
        await ledger.release([account], left);
      }
      // Nothing held: a request larger than what is left still runs alone.
      expect(await hold(left + 1_000)).toBe(left > 0 ? 'held' : 'refused');
      await ledger.close();
    });
  }
});

type Failure = 'before' | 'after';

/**
 * Every call of the ledger's scripts may be made to fail: before it reaches Redis (a refused
 * connection), or after Redis ran it (a lost reply).
 */
function failingOnDemand(redis: Redis, nextFailure: () => Failure | undefined): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !property.startsWith('chatApi')) return value;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const failure = nextFailure();
        if (failure === 'before') throw new Error('Connection is closed.');
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        );
        if (failure === 'after') throw new Error('Command timed out');
        return result;
      };
    },
  });
}
