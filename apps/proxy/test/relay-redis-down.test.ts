import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStatus } from '@chat-api/db';
import { databaseBackends, TcpGate } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';
import { chat, COST, HOLD, REPLY } from './priced-chat.js';

const redisUrl = process.env.TEST_REDIS_URL;
const serverDatabases = databaseBackends().filter((backend) => backend.name !== 'sqlite');

/** Three proxies sharing a database and a Redis that goes away (DESIGN §8, README "Scaling out"). */
describe.each(serverDatabases)('three proxies on $name when Redis is down', ({ name, skip }) => {
  const skipped = skip ?? (redisUrl ? undefined : 'TEST_REDIS_URL not set');
  let gate: TcpGate;
  let nodes: Gateway[] = [];
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skipped) return;
    const target = new URL(redisUrl!);
    gate = new TcpGate(target.hostname, Number(target.port || 6379));
    const gated = `redis://127.0.0.1:${await gate.open()}`;
    const first = await startGateway({ backend: name, redisUrl: gated });
    nodes = [
      first,
      await startGateway({ sharing: first, redisUrl: gated }),
      await startGateway({ sharing: first, redisUrl: gated }),
    ];
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(first, { baseUrl: upstream.url, models: ['gpt-4o'] });
  });
  afterAll(async () => {
    await gate?.open();
    for (const node of nodes.reverse()) await node.close();
    await upstream?.close();
    await gate?.close();
  });

  it.skipIf(skipped)(
    "holds against the database: 300 concurrent requests spend at most one request past the key's quota",
    async () => {
      const [first] = nodes;
      const quota = 10 * COST;
      const { user, token, key } = await createKey(first!, {
        remainQuota: quota,
        unlimitedQuota: false,
      });
      await gate.close();

      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => chat(nodes[i % 3]!, key)),
      );
      const answered = results.filter((result) => result.status === 200).length;
      const refusals = new Set(
        results.filter((result) => result.status !== 200).map((r) => `${r.status} ${r.code}`),
      );
      expect([...refusals]).toEqual(['401 token_exhausted']);
      // Each hold covers its request (max_tokens), so ten fit and an eleventh may take the rest.
      expect(answered).toBeGreaterThanOrEqual(quota / HOLD);
      expect(answered).toBeLessThanOrEqual(quota / COST + 1);

      const logs = (await consumeLogs(first!, answered)).filter((l) => l.tokenId === token.id);
      expect(logs).toHaveLength(answered);
      const spent = logs.reduce((sum, log) => sum + log.quota, 0);
      expect(spent).toBeLessThanOrEqual(quota + COST);
      expect(await first!.db.repos.tokens.get(token.id)).toMatchObject({
        usedQuota: spent,
        remainQuota: quota - spent,
      });
      expect((await first!.db.repos.users.findById(user.id))?.quota).toBe(10_000_000 - spent);
      await gate.open();
    },
  );

  it.skipIf(skipped)(
    'refuses a key disabled in the console on every proxy within 2 s',
    async () => {
      const [first] = nodes;
      const { token, key } = await createKey(first!);
      for (const node of nodes) expect((await chat(node, key)).status).toBe(200);
      await gate.close();

      // The console is another node: it writes the row and announces the change.
      await first!.db.repos.tokens.update(token.id, undefined, { status: TokenStatus.disabled });
      const deadline = Date.now() + 2_000;
      for (const node of nodes) {
        let refused = false;
        while (!refused && Date.now() < deadline) {
          const { status, code } = await chat(node, key);
          refused = status === 401 && code === 'token_disabled';
          if (!refused) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(refused).toBe(true);
      }
      await gate.open();
    },
  );
});
