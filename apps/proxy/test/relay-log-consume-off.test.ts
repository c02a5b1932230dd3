import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';
import { chat, COST, REPLY } from './priced-chat.js';

/** LogConsumeEnabled off: no consume log rows, and every request still billed exactly. */
describe('answered requests with LogConsumeEnabled off', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let channelId: number;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    channelId = (await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] })).id;
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function until(condition: () => Promise<boolean>) {
    const deadline = Date.now() + 5000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('writes no consume log, yet charges the key, its owner and the channel for each request', async () => {
    await gateway.db.repos.options.setMany({ LogConsumeEnabled: 'false' });
    const { user, token, key } = await createKey(gateway, {
      remainQuota: 100 * COST,
      unlimitedQuota: false,
    });
    const channelBefore = (await gateway.db.repos.channels.get(channelId))!.usedQuota;

    for (let i = 0; i < 4; i++) expect((await chat(gateway, key)).status).toBe(200);
    // A stream too: its usage arrives last, after the client has its answer.
    const stream = await openai(gateway, key).chat.completions.create({
      model: 'gpt-4o',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;

    await until(async () => (await gateway.db.repos.users.findById(user.id))!.requestCount === 5);
    // The quota columns are the ledger now: Σ charged = key used = owner used = channel used.
    expect(await gateway.db.repos.tokens.get(token.id)).toMatchObject({
      usedQuota: 5 * COST,
      remainQuota: 95 * COST,
    });
    expect((await gateway.db.repos.users.findById(user.id))?.usedQuota).toBe(5 * COST);
    expect((await gateway.db.repos.channels.get(channelId))!.usedQuota - channelBefore).toBe(
      5 * COST,
    );
    const { items } = await gateway.db.repos.logs.list({ type: 2, page: 1, pageSize: 100 });
    expect(items.filter((log) => log.tokenId === token.id)).toHaveLength(0);
    // What a retried bill batch looks its requests up by.
    expect(await gateway.db.models.BilledRequest.count()).toBe(5);

    // Switched back on, the next request is logged again.
    await gateway.db.repos.options.setMany({ LogConsumeEnabled: 'true' });
    expect((await chat(gateway, key)).status).toBe(200);
    const logs = (await consumeLogs(gateway, 1)).filter((log) => log.tokenId === token.id);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.quota).toBe(COST);
  });
});
