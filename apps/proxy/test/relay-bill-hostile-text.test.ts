import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogOf, createKey, startGateway, type Gateway } from './harness.js';

/**
 * A NUL byte in a key's name cut the bill batch's SQL on SQLite: the batch was retried for
 * ever, and from then on nobody's request was billed or logged.
 */
describe('bills of keys and owners named with control characters', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: 'one two three' });
    await addChannel(gateway, { baseUrl: upstream.url });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function chat(key: string) {
    const response = await fetch(`${gateway.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'count to three' }],
      }),
    });
    expect(response.status).toBe(200);
    await response.text();
    return response.headers.get('x-request-id');
  }

  it('bills and logs them with the characters stripped, and the next user is billed too', async () => {
    const user = await gateway.db.repos.users.create({
      username: 'nul\u0000user\u001b',
      password: 'password-123',
      role: Role.common,
      quota: 10_000_000,
    });
    const { token, key } = await gateway.db.repos.tokens.create(user.id, {
      name: 'nul\u0000x',
      unlimitedQuota: false,
      remainQuota: 1_000_000,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    const hostile = await consumeLogOf(gateway, await chat(key));
    expect(hostile).toMatchObject({ tokenName: 'nulx', username: 'nuluser' });
    expect(hostile.quota).toBeGreaterThan(0);
    expect((await gateway.db.repos.tokens.get(token.id))?.usedQuota).toBe(hostile.quota);
    expect((await gateway.db.repos.users.findById(user.id))?.usedQuota).toBe(hostile.quota);

    const next = await createKey(gateway, { remainQuota: 1_000_000, unlimitedQuota: false });
    const billed = await consumeLogOf(gateway, await chat(next.key));
    expect(billed).toMatchObject({ tokenName: 'test key', model: 'gpt-4o-mini' });
    expect((await gateway.db.repos.tokens.get(next.token.id))?.usedQuota).toBe(billed.quota);
  });
});
