import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readStorageConfig, Role, type Database } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, holdWriteLock, quiet, startGateway, type Gateway } from './harness.js';
import { REPLY } from './priced-chat.js';

/**
 * A first_use key's clock is started by the request that admits it. When the database refuses
 * that write, the request fails clearly and the quota it held comes back.
 */
describe("a database blip while a first_use key's clock starts", () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let other: Database;

  beforeAll(async () => {
    gateway = await startGateway({ sqliteBusyTimeoutMs: 50 });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
    other = await openDatabase({ ...readStorageConfig(gateway.testDb.env), logger: quiet });
  });
  afterAll(async () => {
    await other?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('answers 503 and gives back the hold', async () => {
    const user = await gateway.db.repos.users.create({
      username: 'first_use_owner',
      password: 'password-123',
      role: Role.common,
      quota: 10_000_000,
    });
    // gpt-4o: max_tokens 100 holds ~510, more than the key's 330: a leaked hold refuses the next.
    const { key } = await gateway.db.repos.tokens.create(user.id, {
      name: 'first use',
      unlimitedQuota: false,
      remainQuota: 330,
      expiryMode: 'first_use',
      durationSeconds: 3600,
    });
    const ask = () =>
      fetch(`${gateway.base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });

    const unlock = await holdWriteLock(other);
    const refused = await ask();
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    expect(upstream.requests).toHaveLength(0);
    await unlock();

    const answered = await ask();
    expect(answered.status).toBe(200);
  });
});
