import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';
import { REPLY } from './priced-chat.js';

/** Posts a raw body: JSON.stringify cannot write 1e999, but a client can. */
async function post(gateway: Gateway, key: string, path: string, body: string) {
  const response = await fetch(`${gateway.base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code?: string; param?: string; message: string } },
  };
}

const messages = '"messages":[{"role":"user","content":"hi"}]';

describe('numbers a client sends that would reach money arithmetic', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o', 'dall-e-3'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it.each([
    ['max_tokens', '1e999'],
    ['max_tokens', '-1'],
    ['max_tokens', '1.5'],
    ['max_tokens', '9007199254740993'],
    ['max_tokens', '"100"'],
    ['max_completion_tokens', '-1e999'],
    ['n', '0'],
    ['n', '1e308'],
  ])('%s: %s is a 400 naming the field, before any hold or upstream call', async (field, value) => {
    const { key } = await createKey(gateway, { quota: 105 });
    const { status, body } = await post(
      gateway,
      key,
      '/v1/chat/completions',
      `{"model":"gpt-4o","${field}":${value},${messages}}`,
    );
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_request_error', param: field });
    expect(body.error?.message).toContain(field);
    expect(upstream.requests).toHaveLength(0);
    // Nothing is held: the owner's whole quota still admits a request.
    const ok = await post(gateway, key, '/v1/chat/completions', `{"model":"gpt-4o",${messages}}`);
    expect(ok.status).toBe(200);
    upstream.reset();
  });

  it('an image count of NaN, a negative or 1e308 never reaches the bill', async () => {
    const { key } = await createKey(gateway);
    for (const n of ['-3', '1e308', '2.5']) {
      const { status, body } = await post(
        gateway,
        key,
        '/v1/images/generations',
        `{"model":"dall-e-3","prompt":"a cat","n":${n}}`,
      );
      expect(status).toBe(400);
      expect(body.error?.param).toBe('n');
    }
    expect(upstream.requests).toHaveLength(0);
  });

  it('max_tokens 1e999 does not lift the quota: 50 parallel requests after it stay within it', async () => {
    const quota = 105;
    const { user, key } = await createKey(gateway, { quota });
    const hostile = await post(
      gateway,
      key,
      '/v1/chat/completions',
      `{"model":"gpt-4o","max_tokens":1e999,${messages}}`,
    );
    expect(hostile.status).toBe(400);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(
          gateway,
          key,
          '/v1/chat/completions',
          `{"model":"gpt-4o","max_tokens":10,${messages}}`,
        ),
      ),
    );
    const answered = results.filter((result) => result.status === 200).length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(50);
    const ownLogs = async () =>
      (await consumeLogs(gateway, Infinity, 0)).filter((log) => log.userId === user.id);
    await expect.poll(async () => (await ownLogs()).length).toBe(answered);
    const logs = await ownLogs();
    const spent = logs.reduce((sum, log) => sum + log.quota, 0);
    // At most one request past the quota.
    expect(spent).toBeLessThanOrEqual(quota + Math.max(...logs.map((log) => log.quota)));
    const owner = await gateway.db.repos.users.findById(user.id);
    expect(owner?.usedQuota).toBe(spent);
  });
});
