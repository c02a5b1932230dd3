import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';
import { COST, REPLY } from './priced-chat.js';

const redisUrl = process.env.TEST_REDIS_URL;

/** 15 s into a minute, so a refusal now says to retry in 45 s. */
const MINUTE_START = 29_000_000 * 60_000;

/** A small chat (gpt-4o: 4 prompt and 6 completion tokens, COST quota). */
async function chat(gateway: Gateway, key: string, signal?: AbortSignal, model = 'gpt-4o') {
  const response = await fetch(`${gateway.base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    }),
    signal,
  });
  const body = (await response.json()) as { error?: { code?: string; message?: string } };
  return {
    status: response.status,
    code: body.error?.code,
    message: body.error?.message,
    retryAfter: response.headers.get('retry-after'),
  };
}

async function limitedKey(
  gateway: Gateway,
  limits: { rpmLimit?: number; tpmLimit?: number; concurrencyLimit?: number },
  ownerDefaults: { rpmLimit?: number; tpmLimit?: number; concurrencyLimit?: number } = {},
) {
  const created = await createKey(gateway);
  await gateway.db.repos.users.update(created.user.id, ownerDefaults, { username: 'root' });
  await gateway.db.repos.tokens.update(created.token.id, undefined, limits);
  return created;
}

describe.each(cacheBackends())(
  'per-key limits on one proxy with the $name cache',
  ({ name, skip }) => {
    let gateway: Gateway;
    let upstream: FakeUpstream;
    let now = MINUTE_START + 15_000;

    beforeAll(async () => {
      if (skip) return;
      gateway = await startGateway({
        ...(name === 'redis' ? { redisUrl } : {}),
        clock: () => now,
      });
      upstream = await startFakeUpstream({ reply: REPLY });
      await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
    });
    afterAll(async () => {
      await gateway?.close();
      await upstream?.close();
    });

    it.skipIf(skip)(
      'refuses requests past the per-minute limit with 429, retry-after and no charge, until the next minute',
      async () => {
        now = MINUTE_START + 15_000;
        const { user, token, key } = await limitedKey(gateway, { rpmLimit: 5 });
        const results = [];
        for (let i = 0; i < 8; i++) results.push(await chat(gateway, key));
        expect(results.map((result) => result.status)).toEqual([
          200, 200, 200, 200, 200, 429, 429, 429,
        ]);
        for (const refused of results.slice(5)) {
          expect(refused).toMatchObject({ code: 'rate_limit_exceeded', retryAfter: '45' });
          expect(refused.message).toContain('5 requests per minute');
        }
        const logs = (await consumeLogs(gateway, 5)).filter((log) => log.tokenId === token.id);
        expect(logs).toHaveLength(5);
        expect((await gateway.db.repos.tokens.get(token.id))?.usedQuota).toBe(5 * COST);
        expect((await gateway.db.repos.users.findById(user.id))?.requestCount).toBe(5);

        now += 60_000;
        expect((await chat(gateway, key)).status).toBe(200);
      },
    );

    it.skipIf(skip)(
      "applies the owner's default to keys without a limit, and a key's own limit over it",
      async () => {
        now = MINUTE_START + 75_000;
        const { user, key } = await limitedKey(gateway, {}, { rpmLimit: 2 });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await chat(gateway, key)).status);
        expect(statuses).toEqual([200, 200, 429]);

        // A second key of the same owner counts its own minute, with its own stricter limit.
        const second = await gateway.db.repos.tokens.create(user.id, {
          name: 'strict',
          unlimitedQuota: true,
          rpmLimit: 1,
        });
        expect((await chat(gateway, second.key)).status).toBe(200);
        expect((await chat(gateway, second.key)).code).toBe('rate_limit_exceeded');
      },
    );

    it.skipIf(skip)(
      'refuses once the minute has seen the tokens per minute, and the official SDK sees a RateLimitError',
      async () => {
        now = MINUTE_START + 135_000;
        // Each request uses 10 tokens: after three the minute has seen 30 of 25.
        const { key } = await limitedKey(gateway, { tpmLimit: 25 });
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await chat(gateway, key)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const refusal = await openai(gateway, key)
          .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
          .catch((error: unknown) => error);
        expect(refusal).toMatchObject({
          status: 429,
          code: 'rate_limit_exceeded',
          message: expect.stringContaining('25 tokens per minute'),
        });
        now += 60_000;
        expect((await chat(gateway, key)).status).toBe(200);
      },
    );

    it.skipIf(skip)(
      'holds requests in flight to the concurrency limit, frees a place when a client hangs up',
      async () => {
        const slowUpstream = await startFakeUpstream({ reply: REPLY });
        await addChannel(gateway, { baseUrl: slowUpstream.url, models: ['gpt-4o-mini'] });
        const { user, token, key } = await limitedKey(gateway, { concurrencyLimit: 2 });
        const ask = (signal?: AbortSignal) => chat(gateway, key, signal, 'gpt-4o-mini');
        slowUpstream.slow(60_000);
        const aborts = [new AbortController(), new AbortController()];
        const pending = aborts.map((abort) => ask(abort.signal).catch(() => 'hung up'));
        await until(() => slowUpstream.requests.length === 2);

        const third = await ask();
        expect(third).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: '1' });
        expect(third.message).toContain('2 requests at once');

        // Hanging up ends the request at once: its place is free for the next one.
        aborts[0]!.abort();
        slowUpstream.reset();
        await until(async () => (await ask()).status === 200);
        aborts[1]!.abort();
        expect(await Promise.all(pending)).toEqual(['hung up', 'hung up']);
        await slowUpstream.close();
        // Only the answered request is billed: the hung-up ones and the refusals cost nothing.
        await until(async () => (await gateway.db.repos.users.findById(user.id))!.requestCount > 0);
        const logs = (await consumeLogs(gateway, 1)).filter((log) => log.tokenId === token.id);
        expect(logs).toHaveLength(1);
        expect((await gateway.db.repos.tokens.get(token.id))?.usedQuota).toBe(logs[0]!.quota);
      },
    );

    it.skipIf(skip)("answers a Claude client's refusal in Claude's error shape", async () => {
      now = MINUTE_START + 255_000;
      const { key } = await limitedKey(gateway, { rpmLimit: 1 });
      const ask = () =>
        fetch(`${gateway.base}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o',
            max_tokens: 10,
            messages: [{ role: 'user', content: 'hi' }],
          }),
        });
      expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('45');
      const body = (await refused.json()) as {
        type: string;
        error: { type: string; message: string };
      };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('rate_limit_error');
      expect(body.error.message).toContain('rate_limit_exceeded');
    });
  },
);

describe.skipIf(!redisUrl)(
  'a 60 RPM key at 100 requests per second over two proxies sharing Redis',
  () => {
    let nodeA: Gateway;
    let nodeB: Gateway;
    let upstream: FakeUpstream;
    // Both proxies read the same clock, placed so that a minute ends 1.5 s into the run.
    let offset = 0;
    const clock = () => Date.now() + offset;

    beforeAll(async () => {
      nodeA = await startGateway({ backend: 'sqlite', redisUrl, clock });
      nodeB = await startGateway({ sharing: nodeA, redisUrl, clock });
      upstream = await startFakeUpstream({ reply: REPLY });
      await addChannel(nodeA, { baseUrl: upstream.url, models: ['gpt-4o'] });
    });
    afterAll(async () => {
      await nodeB?.close();
      await nodeA?.close();
      await upstream?.close();
    });

    it('admits 60 in each minute and refuses the rest with 429 and retry-after', async () => {
      const { token, key } = await limitedKey(nodeA, { rpmLimit: 60 });
      const start = Date.now();
      const boundary = Math.ceil((start + 1_500) / 60_000) * 60_000;
      offset = boundary - (start + 1_500);

      // 100 a second for 3 s, alternating proxies: 150 requests fall in each minute.
      const sent: Promise<Awaited<ReturnType<typeof chat>> & { node: string }>[] = [];
      for (let i = 0; i < 300; i++) {
        const node = i % 2 ? nodeB : nodeA;
        sent.push(chat(node, key).then((result) => ({ ...result, node: node.base })));
        await new Promise((resolve) => setTimeout(resolve, start + (i + 1) * 10 - Date.now()));
      }
      const results = await Promise.all(sent);
      const admitted = results.filter((result) => result.status === 200);
      const refused = results.filter((result) => result.status !== 200);
      expect(admitted).toHaveLength(120);
      expect(new Set(admitted.map((result) => result.node)).size).toBe(2);
      for (const result of refused) {
        expect(result.code).toBe('rate_limit_exceeded');
        const retryAfter = Number(result.retryAfter);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
      }
      await until(async () => (await nodeA.db.repos.tokens.get(token.id))!.usedQuota >= 120 * COST);
      expect((await nodeA.db.repos.tokens.get(token.id))?.usedQuota).toBe(120 * COST);
    });
  },
);

async function until(condition: () => boolean | Promise<boolean>, withinMs = 10_000) {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
