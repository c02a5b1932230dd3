import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountBase } from '../src/cache/hold-ledger.js';
import { RedisHoldLedger } from '../src/cache/redis-hold-ledger.js';
import { TcpGate } from '../src/testing/tcp-gate.js';

const redisUrl = process.env.TEST_REDIS_URL;
const fullRow: AccountBase = { remain: 100, used: 0 };

/** Holds `amount`, reading the row as the usage repository does when the ledger asks. */
async function hold(ledger: RedisHoldLedger, account: string, amount: number, row = fullRow) {
  for (;;) {
    const outcome = await ledger.hold([account], amount);
    if (outcome.kind !== 'read') return outcome.kind;
    await ledger.setBase(account, outcome.version, row);
  }
}

/**
 * A client whose calls of one script run on the server and then fail on the client: the reply
 * lost to a timeout or a cut connection. Everything else goes through untouched.
 */
function lossyReplies(
  redis: Redis,
  script: string,
): { redis: Redis; lose: (times: number) => void } {
  let losing = 0;
  const lossy = new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== script || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
          target,
          args,
        );
        if (losing > 0) {
          losing--;
          throw new Error('Command timed out');
        }
        return result;
      };
    },
  });
  return { redis: lossy, lose: (times) => void (losing = times) };
}

describe.skipIf(!redisUrl)('Redis quota holds when nodes and replies fail', () => {
  let redis: Redis;
  let prefix: string;
  let account: string;
  const ledgers: RedisHoldLedger[] = [];

  beforeAll(() => {
    redis = new Redis(redisUrl!);
  });
  afterAll(async () => {
    for (const ledger of ledgers) await ledger.close();
    redis?.disconnect();
  });

  function node(client: Redis = redis, options: { leaseMs?: number } = {}): RedisHoldLedger {
    const ledger = new RedisHoldLedger(client, prefix, { leaseMs: options.leaseMs ?? 15_000 });
    ledgers.push(ledger);
    return ledger;
  }

  function fresh(): void {
    prefix = `chat-api:test-${randomBytes(4).toString('hex')}:`;
    account = `token:${randomBytes(6).toString('hex')}`;
  }

  it("gives a killed node's holds back once its lease lapses", async () => {
    fresh();
    const killed = node(redis, { leaseMs: 300 });
    const survivor = node();
    expect(await hold(killed, account, 80)).toBe('held');
    expect(await hold(survivor, account, 50)).toBe('refused');
    // SIGKILL: the node stops renewing its lease and never releases.
    await killed.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await hold(survivor, account, 100)).toBe('held');
  });

  it('does not count twice a hold whose reply was lost after Redis ran it', async () => {
    fresh();
    const { redis: lossy, lose } = lossyReplies(redis, 'chatApiHoldQuota');
    const ledger = node(lossy);
    expect(await hold(ledger, account, 10)).toBe('held');
    lose(1);
    await expect(ledger.hold([account], 60)).rejects.toThrow('timed out');
    // Redis ran it: 70 are counted though the node holds 10; the repair writes what it holds.
    expect(await hold(ledger, account, 60)).toBe('refused');
    await ledger.repair();
    expect(await hold(ledger, account, 90)).toBe('held');
  });

  it('reads the balance again before the first hold after Redis is back', async () => {
    fresh();
    const target = new URL(redisUrl!);
    const gate = new TcpGate(target.hostname, Number(target.port || 6379));
    const client = new Redis(`redis://127.0.0.1:${await gate.open()}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    // No repair on a timer during the test: only the hold itself may notice the outage.
    const ledger = new RedisHoldLedger(client, prefix, { repairEveryMs: 600_000 });
    try {
      expect(await hold(ledger, account, 10)).toBe('held');
      await gate.close();
      // Meanwhile a bill of 80, settled in the node's own memory, leaves 20 in the database.
      const spentMeanwhile = { remain: 20, used: 80 };
      const ready = once(client, 'ready');
      await gate.open();
      await ready;
      expect(await hold(ledger, account, 50, spentMeanwhile)).toBe('refused');
      expect(await hold(ledger, account, 10, spentMeanwhile)).toBe('held');
      await ledger.release([account], 20);
    } finally {
      await ledger.close();
      client.disconnect();
      await gate.close();
    }
  });

  it('sets right a release whose reply was lost, and one that never ran', async () => {
    fresh();
    const { redis: lossy, lose } = lossyReplies(redis, 'chatApiRelease');
    const ledger = node(lossy);
    expect(await hold(ledger, account, 40)).toBe('held');
    lose(1);
    await ledger.release([account], 40); // never throws: the repair follows
    await ledger.repair();
    expect(await hold(ledger, account, 100)).toBe('held');
  });
});
