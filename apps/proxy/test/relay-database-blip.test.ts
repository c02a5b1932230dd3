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
});
