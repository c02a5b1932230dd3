import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogs,
  createKey,
  openai,
  holdWriteLock,
  quiet,
  startGateway,
  type Gateway,
} from './harness.js';

/**
 * Another process holding SQLite's write lock (a backup, a console import) past the busy
 * timeout: answers still go out, and their bills are written once the lock is free.
 */
describe('bills while the database refuses writes', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let other: Database;

  beforeAll(async () => {
    gateway = await startGateway({ sqliteBusyTimeoutMs: 50 });
    upstream = await startFakeUpstream({ reply: 'one two three' });
    await addChannel(gateway, { baseUrl: upstream.url });
    other = await openDatabase({ ...readStorageConfig(gateway.testDb.env), logger: quiet });
  });
  afterAll(async () => {
    await other?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('keeps the bills and writes them, balanced, after the lock is released', async () => {
    const { user, token, key } = await createKey(gateway, {
      remainQuota: 1_000_000,
      unlimitedQuota: false,
    });
    const client = openai(gateway, key);

    const unlock = await holdWriteLock(other);

    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'count to three' }],
    };
    for (let i = 0; i < 3; i++) {
      const answer = await client.chat.completions.create(request);
      expect(answer.choices[0]?.message.content).toBe('one two three');
    }
    // A batch is written 100 ms after its first bill; by now that write has waited out the
    // busy timeout (SQLite's wait overshoots 50 ms by far) and been refused.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await consumeLogs(gateway, 1, 0)).toHaveLength(0);

    await unlock();
    const logs = await consumeLogs(gateway, 3);
    expect(logs).toHaveLength(3);
    const billed = logs.reduce((sum, log) => sum + log.quota, 0);
    expect(billed).toBeGreaterThan(0);
    const tokenAfter = await gateway.db.repos.tokens.get(token.id);
    expect(tokenAfter?.usedQuota).toBe(billed);
    expect(tokenAfter?.remainQuota).toBe(1_000_000 - billed);
    const owner = await gateway.db.repos.users.findById(user.id);
    expect(owner?.usedQuota).toBe(billed);
  });

  it('refuses new requests with 503 once the unwritten bills reach BILL_BACKLOG_LIMIT, until they are written', async () => {
    const limited = await startGateway({
      sharing: gateway,
      sqliteBusyTimeoutMs: 50,
      billBacklogLimit: 2,
    });
    try {
      const { token, key } = await createKey(limited, { quota: 1_000_000 });
      let answered = 0;
      const ask = async () => {
        const response = await fetch(`${limited.base}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'hi' }],
          }),
        });
        if (response.status === 200) answered++;
        return response;
      };
      const unlock = await holdWriteLock(other);
      // Answers go out while their bills wait; once a write has failed with two waiting, no more.
      const refused = await until(async () => {
        const response = await ask();
        return response.status === 503 ? response : undefined;
      });
      expect(answered).toBeGreaterThanOrEqual(2);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ error: { code: 'bills_backlogged' } });

      await unlock();
      await until(async () => ((await ask()).status === 200 ? true : undefined));
      // Every answered request is billed once the database takes writes again.
      const logs = await until(async () => {
        const mine = (await consumeLogs(limited, 100, 0)).filter((log) => log.tokenId === token.id);
        return mine.length === answered ? mine : undefined;
      });
      const billed = logs.reduce((sum, log) => sum + log.quota, 0);
      expect((await limited.db.repos.tokens.get(token.id))?.usedQuota).toBe(billed);
    } finally {
      await limited.close();
    }
  });

  it('refuses new requests the same way while a write waits on a lock instead of failing', async () => {
    // A busy timeout longer than the test: the write neither fails nor finishes until unlocked.
    const limited = await startGateway({
      sharing: gateway,
      sqliteBusyTimeoutMs: 60_000,
      billBacklogLimit: 2,
    });
    try {
      const { token, key } = await createKey(limited, { quota: 1_000_000 });
      const client = openai(limited, key);
      const request = {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user' as const, content: 'hi' }],
      };
      const unlock = await holdWriteLock(other);
      let answered = 0;
      const refused = await until(async () => {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: { authorization: `Bearer ${key}` },
          payload: request,
        });
        if (response.statusCode === 200) answered++;
        return response.statusCode === 503 ? response : undefined;
      });
      expect(answered).toBeGreaterThanOrEqual(2);
      expect(refused.json()).toMatchObject({ error: { code: 'bills_backlogged' } });

      await unlock();
      await until(async () => {
        try {
          return (await client.chat.completions.create(request)) ? true : undefined;
        } catch {
          return undefined;
        }
      });
      const logs = await until(async () => {
        const mine = (await consumeLogs(limited, 100, 0)).filter((log) => log.tokenId === token.id);
        return mine.length === answered + 1 ? mine : undefined;
      });
      const billed = logs.reduce((sum, log) => sum + log.quota, 0);
      expect((await limited.db.repos.tokens.get(token.id))?.usedQuota).toBe(billed);
    } finally {
      await limited.close();
    }
  });
});

/** Polls `check` until it gives a value; fails after 20 s. */
async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
