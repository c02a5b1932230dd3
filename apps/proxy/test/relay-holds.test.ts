import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheBackends, databaseBackends, TcpGate } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';
import { chat, COST, HOLD, REPLY } from './priced-chat.js';

const redisUrl = process.env.TEST_REDIS_URL;
const serverDatabases = databaseBackends().filter((backend) => backend.name !== 'sqlite');

describe.each(serverDatabases)('two proxy nodes sharing Redis on $name', ({ name, skip }) => {
  const skipped = skip ?? (redisUrl ? undefined : 'TEST_REDIS_URL not set');
  let nodeA: Gateway;
  let nodeB: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skipped) return;
    nodeA = await startGateway({ backend: name, redisUrl });
    nodeB = await startGateway({ sharing: nodeA, redisUrl });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(nodeA, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await nodeB?.close();
    await nodeA?.close();
    await upstream?.close();
  });

  it.skipIf(skipped)(
    "200 concurrent requests spread over both nodes spend at most one request past the key's quota",
    async () => {
      const quota = 10 * COST;
      const { user, token, key } = await createKey(nodeA, {
        remainQuota: quota,
        unlimitedQuota: false,
      });
      const userBefore = (await nodeA.db.repos.users.findById(user.id))!;

      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => chat(i % 2 === 0 ? nodeA : nodeB, key)),
      );
      const answered = results.filter((result) => result.status === 200).length;
      const refusals = new Set(
        results.filter((result) => result.status !== 200).map((r) => `${r.status} ${r.code}`),
      );
      expect(answered).toBeGreaterThan(0);
      expect([...refusals]).toEqual(['401 token_exhausted']);

      const logs = (await consumeLogs(nodeA, answered)).filter((log) => log.tokenId === token.id);
      expect(logs).toHaveLength(answered);
      const spent = logs.reduce((sum, log) => sum + log.quota, 0);
      expect(spent).toBeLessThanOrEqual(quota + COST);

      const after = await nodeA.db.repos.tokens.get(token.id);
      const userAfter = (await nodeA.db.repos.users.findById(user.id))!;
      expect(after?.usedQuota).toBe(spent);
      expect(after?.remainQuota).toBe(quota - spent);
      // Exhausted (persisted) once nothing is left; otherwise what is left is below a hold,
      // which was admitted only while no other request was in flight.
      if (after!.remainQuota <= 0) expect(after?.status).toBe(4);
      else expect(after!.remainQuota).toBeLessThan(HOLD);
      expect(userAfter.usedQuota - userBefore.usedQuota).toBe(spent);
    },
  );
});

describe.each(cacheBackends())('a top-up in the console with the $name cache', ({ name, skip }) => {
  let proxy: Gateway;
  let consoleNode: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skip) return;
    const cache = name === 'redis' ? { redisUrl } : {};
    proxy = await startGateway(cache);
    // The console is another process over the same database: a second node.
    consoleNode = await startGateway({ sharing: proxy, ...cache });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(proxy, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await consoleNode?.close();
    await proxy?.close();
    await upstream?.close();
  });

  it.skipIf(skip)('lets an owner who ran out send requests again within a second', async () => {
    const { user, key } = await createKey(proxy, { quota: COST });
    expect((await chat(proxy, key)).status).toBe(200);
    await consumeLogs(proxy, 1);
    expect(await chat(proxy, key)).toEqual({ status: 403, code: 'insufficient_user_quota' });

    await consoleNode.db.repos.users.update(user.id, { addQuota: 10 * COST }, { username: 'root' });
    const toppedUp = Date.now();
    await expect.poll(async () => (await chat(proxy, key)).status, { timeout: 2000 }).toBe(200);
    expect(Date.now() - toppedUp).toBeLessThan(1500);
  });
});

describe.skipIf(!redisUrl)('quota holds while Redis is down', () => {
  let gate: TcpGate;
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    const target = new URL(redisUrl!);
    gate = new TcpGate(target.hostname, Number(target.port || 6379));
    gateway = await startGateway({ redisUrl: `redis://127.0.0.1:${await gate.open()}` });
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gateway?.close();
    await gate?.close();
    await upstream?.close();
  });

  it('are kept by the node itself: requests are still answered, billed and limited', async () => {
    // Room for three holds: whether or not the first bill is written when Redis goes, the
    // node admits at least one more, and never past the quota.
    const { token, key } = await createKey(gateway, {
      remainQuota: 3 * HOLD,
      unlimitedQuota: false,
    });
    expect((await chat(gateway, key)).status).toBe(200);
    await gate.close();

    const results = await Promise.all(Array.from({ length: 10 }, () => chat(gateway, key)));
    const answered = results.filter((result) => result.status === 200).length;
    expect(answered).toBeGreaterThanOrEqual(1);
    // At most one request past the quota.
    expect((answered + 1) * COST).toBeLessThanOrEqual(3 * HOLD + COST);
    expect(results.filter((r) => r.status !== 200).every((r) => r.code === 'token_exhausted')).toBe(
      true,
    );

    await gate.open();
    const logs = (await consumeLogs(gateway, answered + 1)).filter(
      (log) => log.tokenId === token.id,
    );
    expect(logs).toHaveLength(answered + 1);
    const after = await gateway.db.repos.tokens.get(token.id);
    expect(after?.usedQuota).toBe((answered + 1) * COST);
  });
});
