import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, openai, startGateway, type Gateway } from './harness.js';

/**
 * DESIGN §6's ledger: for every key and user, Σ consume-log quota = used quota, and every hold
 * is settled or released — whatever happened to the requests.
 */
describe.each([
  ['each request billed at once', undefined],
  ['BATCH_UPDATE_ENABLED', { enabled: true, intervalSeconds: 1 }],
])('the ledger after 1,000 mixed requests, %s', (_mode, batchUpdate) => {
  let gateway: Gateway;
  const upstreams: FakeUpstream[] = [];

  beforeAll(async () => {
    gateway = await startGateway(batchUpdate ? { batchUpdate } : {});
    const reply = 'one two three four five six seven eight nine ten';
    const healthy = await startFakeUpstream({ reply });
    const silent = await startFakeUpstream({ reply }); // reports no usage
    silent.omitUsage();
    const dropping = await startFakeUpstream({ reply }); // streams break after 3 events
    dropping.dropStreamAfter(3);
    const failing = await startFakeUpstream({ reply }); // every answer is a 500
    failing.fail({ status: 500, message: 'upstream exploded' });
    upstreams.push(healthy, silent, dropping, failing);
    for (const upstream of upstreams) await addChannel(gateway, { baseUrl: upstream.url });
  });
  afterAll(async () => {
    await gateway?.close();
    for (const upstream of upstreams.splice(0)) await upstream.close();
  });

  it('balances, with and without streams, usage, failures and hang-ups', async () => {
    // Room for every hold in flight, also while batched refunds wait for their flush.
    const initialQuota = 5_000_000;
    const { user, token, key } = await createKey(gateway, {
      quota: 1_000_000,
      remainQuota: initialQuota,
      unlimitedQuota: false,
    });
    const client = openai(gateway, key);
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'count to ten' }],
    };

    const outcomes = { answered: 0, failed: 0, aborted: 0 };
    async function one(index: number): Promise<void> {
      try {
        if (index % 2 === 0) {
          await client.chat.completions.create(request);
        } else {
          const controller = new AbortController();
          const stream = await client.chat.completions.create(
            { ...request, stream: true },
            { signal: controller.signal },
          );
          let chunks = 0;
          for await (const _chunk of stream) {
            if (index % 7 === 1 && ++chunks === 2) {
              controller.abort();
              outcomes.aborted++;
              return;
            }
          }
        }
        outcomes.answered++;
      } catch {
        outcomes.failed++;
      }
    }
    const queue = Array.from({ length: 1000 }, (_, index) => index);
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift())
          await one(index);
      }),
    );
    expect(outcomes.answered).toBeGreaterThan(500);
    expect(outcomes.failed).toBeGreaterThan(0); // mid-stream drops reach the client as errors
    expect(outcomes.aborted).toBeGreaterThan(0);

    // Shutdown waits for the bills still being written; then the books must balance.
    await gateway.app.close();
    const logs = await gateway.db.repos.logs.stats({ userId: user.id, type: 2 });
    const key_ = await gateway.db.repos.tokens.get(token.id);
    const owner = await gateway.db.repos.users.findById(user.id);
    expect(logs.quota).toBeGreaterThan(0);
    expect(key_?.usedQuota).toBe(logs.quota);
    expect(key_?.remainQuota).toBe(initialQuota - logs.quota);
    expect(owner?.usedQuota).toBe(logs.quota);
    expect(owner?.quota).toBe(1_000_000 - logs.quota);
  }, 120_000);
});
