import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryHoldLedger, type HoldLedger } from '../src/cache/hold-ledger.js';
import { RedisHoldLedger } from '../src/cache/redis-hold-ledger.js';
import { cacheBackends } from '../src/testing/backends.js';

/**
 * The hold arithmetic both ledgers share: available = remain − (latest − used) − outstanding,
 * exact however reads of the row, written bills and console changes interleave.
 */
describe.each(cacheBackends())('quota holds in $name', ({ name, skip }) => {
  let redis: Redis | undefined;
  let ledger: HoldLedger;
  let account: string;

  beforeAll(() => {
    if (skip) return;
    if (name === 'redis') redis = new Redis(process.env.TEST_REDIS_URL!);
  });
  afterAll(() => redis?.disconnect());

  function fresh(): void {
    account = `token:${randomBytes(6).toString('hex')}`;
    ledger = redis
      ? new RedisHoldLedger(redis, `chat-api:test-${randomBytes(4).toString('hex')}:`)
      : new MemoryHoldLedger();
  }

  /** Reads the row as the usage repository does when the ledger asks for it. */
  async function hold(amount: number, row: { remain: number; used: number }) {
    for (;;) {
      const outcome = await ledger.hold([account], amount);
      if (outcome.kind !== 'read') return outcome.kind;
      await ledger.setBase(account, outcome.version, row);
    }
  }

  it.skipIf(skip)('admits while the available quota covers the hold', async () => {
    fresh();
    const row = { remain: 100, used: 0 };
    expect(await hold(60, row)).toBe('held');
    expect(await hold(60, row)).toBe('refused'); // 40 left does not cover it
    expect(await hold(40, row)).toBe('held');
    expect(await hold(1, row)).toBe('refused');
    await ledger.release([account], 100);
    expect(await hold(1, row)).toBe('held');
  });

  it.skipIf(skip)('admits a hold larger than what is left only when it runs alone', async () => {
    fresh();
    const row = { remain: 100, used: 0 };
    expect(await hold(150, row)).toBe('held'); // nothing else in flight: the one request past
    expect(await hold(1, row)).toBe('refused');
    await ledger.settle([{ account, held: 150, usedAfter: 90 }]); // it cost 90
    expect(await hold(150, row)).toBe('held'); // 10 left, alone again
    expect(await hold(5, row)).toBe('refused');
  });

  it.skipIf(skip)('refuses amounts that are not whole quota, so sums never turn NaN', async () => {
    fresh();
    const row = { remain: 100, used: 0 };
    for (const bad of [Infinity, NaN, -5, 1.5, 2 ** 53]) {
      await expect(ledger.hold([account], bad)).rejects.toThrow(RangeError);
      if (bad !== -5) await expect(ledger.release([account], bad)).rejects.toThrow(RangeError);
      await expect(ledger.settle([{ account, held: bad, usedAfter: 0 }])).rejects.toThrow(
        RangeError,
      );
    }
    await expect(ledger.setBase(account, 0, { remain: Infinity, used: 0 })).rejects.toThrow(
      RangeError,
    );
    expect(await hold(100, row)).toBe('held');
    expect(await hold(1, row)).toBe('refused');
  });

  it.skipIf(skip)('replaces a hold with its written bill', async () => {
    fresh();
    const row = { remain: 100, used: 500 };
    expect(await hold(80, row)).toBe('held');
    // The bill cost 30; the database now says used 530 (and remain 70).
    await ledger.settle([{ account, held: 80, usedAfter: 530 }]);
    expect(await hold(70, row)).toBe('held');
    expect(await hold(1, row)).toBe('refused');
  });

  it.skipIf(skip)('counts a bill written between reading the row and storing it once', async () => {
    fresh();
    expect(await ledger.hold([account], 10)).toMatchObject({ kind: 'read' });
    const outcome = await ledger.hold([account], 10);
    if (outcome.kind !== 'read') throw new Error('expected a read');
    // Read: remain 100, used 0. Then a bill of 90 commits (used 90) and settles before the
    // read is stored; an older bill's settlement (used 40) arrives late and changes nothing.
    await ledger.settle([{ account, held: 0, usedAfter: 90 }]);
    await ledger.setBase(account, outcome.version, { remain: 100, used: 0 });
    await ledger.settle([{ account, held: 0, usedAfter: 40 }]);
    expect(await hold(10, { remain: 10, used: 90 })).toBe('held'); // 100 − 90 = 10 available
    expect(await hold(1, { remain: 10, used: 90 })).toBe('refused');
  });

  it.skipIf(skip)('drops a read that raced with a console change, and reads again', async () => {
    fresh();
    expect(await hold(5, { remain: 5, used: 0 })).toBe('held');
    expect(await hold(1, { remain: 5, used: 0 })).toBe('refused');
    const stale = await (async () => {
      await ledger.forget([account]);
      const outcome = await ledger.hold([account], 1);
      if (outcome.kind !== 'read') throw new Error('expected a read');
      return outcome.version;
    })();
    // The console tops up again while the old read is in flight: that read must not stick.
    await ledger.forget([account]);
    await ledger.setBase(account, stale, { remain: 5, used: 0 });
    // The hold of 5 is still outstanding against the new balance of 1,000.
    expect(await hold(995, { remain: 1000, used: 0 })).toBe('held');
    expect(await hold(1, { remain: 1000, used: 0 })).toBe('refused');
  });

  it.skipIf(skip)('holds on every account or on none', async () => {
    fresh();
    const key = account;
    const owner = `user:${randomBytes(6).toString('hex')}`;
    const both = async (amount: number) => {
      for (;;) {
        const outcome = await ledger.hold([key, owner], amount);
        if (outcome.kind !== 'read') return outcome;
        const row = outcome.account === key ? { remain: 100, used: 0 } : { remain: 10, used: 0 };
        await ledger.setBase(outcome.account, outcome.version, row);
      }
    };
    expect(await both(10)).toEqual({ kind: 'held' });
    expect(await both(10)).toEqual({ kind: 'refused', account: owner });
    // The owner's refusal left the key untouched: 90 of its 100 are still available.
    account = key;
    expect(await hold(90, { remain: 100, used: 0 })).toBe('held');
    expect(await hold(1, { remain: 100, used: 0 })).toBe('refused');
  });
});
