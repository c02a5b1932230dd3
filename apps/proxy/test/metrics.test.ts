import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { build } from '../src/app.js';
import {
  addChannel,
  consumeLogs,
  createKey,
  holdWriteLock,
  quiet,
  startGateway,
  type Gateway,
} from './harness.js';
import { scrape, seriesOf, valueOf, type Scrape } from './scrape.js';

const CHAT = '/v1/chat/completions';

function chat(gateway: Gateway, key: string, body: Record<string, unknown>) {
  return fetch(`${gateway.base}${CHAT}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
}

/** Scrapes until `ready` holds (a bill written, a stream ended), for at most `withinMs`. */
async function scrapeUntil(
  gateway: Gateway,
  ready: (scraped: Scrape) => boolean,
  withinMs = 5000,
): Promise<Scrape> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const scraped = await scrape(gateway.base);
    if (ready(scraped) || Date.now() > deadline) return scraped;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How many observations a histogram's series holds. */
const histogramCount = (scraped: Scrape, name: string, labels: Record<string, string>) =>
  valueOf(scraped, `${name}_count`, labels);

describe('GET /metrics on the proxy', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;
  let channel: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: 'one two three' });
    channel = String((await addChannel(gateway, { baseUrl: upstream.url })).id);
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('counts each request once by endpoint, model, channel and status, and times the answered ones', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await chat(gateway, key, { model: 'gpt-4o-mini' })).status).toBe(200);
    }
    const stream = await chat(gateway, key, { model: 'gpt-4o-mini', stream: true });
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain('[DONE]');
    expect((await chat(gateway, 'sk-not-a-key', { model: 'gpt-4o-mini' })).status).toBe(401);
    const unknown = await chat(gateway, key, { model: 'no-such-model' });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    await consumeLogs(gateway, 4);

    const scraped = await scrapeUntil(
      gateway,
      (s) => valueOf(s, 'chat_api_bills_written_total') === 4,
    );
    // Exactly these series: the unknown model's name is no label (any name would add one).
    expect(seriesOf(scraped, 'chat_api_requests_total')).toEqual({
      [`endpoint=${CHAT},model=gpt-4o-mini,channel=${channel},status=200`]: 4,
      [`endpoint=${CHAT},model=,channel=,status=401`]: 1,
      [`endpoint=${CHAT},model=,channel=,status=${unknown.status}`]: 1,
    });
    const timed = { model: 'gpt-4o-mini', channel };
    expect(histogramCount(scraped, 'chat_api_upstream_duration_seconds', timed)).toBe(4);
    expect(histogramCount(scraped, 'chat_api_time_to_first_token_seconds', timed)).toBe(1);
    expect(
      valueOf(scraped, 'chat_api_upstream_duration_seconds_bucket', { ...timed, le: '+Inf' }),
    ).toBe(4);
    expect(scraped.families.get('chat_api_upstream_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(scraped.families.get('chat_api_requests_total')?.type).toBe('COUNTER');

    expect(valueOf(scraped, 'chat_api_in_flight_requests')).toBe(0);
    expect(valueOf(scraped, 'chat_api_open_streams')).toBe(0);
    expect(valueOf(scraped, 'chat_api_quota_holds')).toBe(0);
    expect(valueOf(scraped, 'chat_api_bill_queue_depth')).toBe(0);
    expect(valueOf(scraped, 'chat_api_bill_write_failures_total')).toBe(0);
    expect(valueOf(scraped, 'chat_api_bills_refused_total', { outcome: 'dropped' })).toBe(0);
    // The process's own series come along.
    expect(scraped.families.has('process_cpu_user_seconds_total')).toBe(true);
  });

  it('shows the stream in flight while it runs, and a client that leaves as unfinished (499)', async () => {
    const timed = { model: 'gpt-4o-mini', channel };
    const before = await scrape(gateway.base);
    upstream.streamDelayMs(200);
    try {
      const stream = await chat(gateway, key, {
        model: 'gpt-4o-mini',
        stream: true,
        max_tokens: 50,
      }).then((response) => {
        expect(response.status).toBe(200);
        return response;
      });
      const reader = stream.body!.getReader();
      await reader.read();
      const during = await scrape(gateway.base);
      expect(valueOf(during, 'chat_api_in_flight_requests')).toBe(1);
      expect(valueOf(during, 'chat_api_open_streams')).toBe(1);
      expect(valueOf(during, 'chat_api_quota_holds')).toBe(1);

      await reader.cancel();
      const after = await scrapeUntil(
        gateway,
        (s) => valueOf(s, 'chat_api_in_flight_requests') === 0,
      );
      expect(valueOf(after, 'chat_api_in_flight_requests')).toBe(0);
      expect(valueOf(after, 'chat_api_open_streams')).toBe(0);
      expect(
        valueOf(after, 'chat_api_requests_total', {
          endpoint: CHAT,
          model: 'gpt-4o-mini',
          channel,
          status: '499',
        }),
      ).toBe(1);
      // What was delivered is billed, and timed.
      const answered = (scraped: Scrape) =>
        histogramCount(scraped, 'chat_api_upstream_duration_seconds', timed);
      expect(answered(after)).toBe(answered(before) + 1);
    } finally {
      upstream.reset();
    }
  });

  it('reports changes heard through the cache invalidation feed', async () => {
    // What the console does after a write: every node drops its copy when it hears of it.
    await gateway.db.cache.invalidate(['options']);
    // The histogram has no series until its first observation.
    const scraped = await scrapeUntil(
      gateway,
      (s) =>
        s.samples.has('chat_api_cache_invalidation_lag_seconds_count') &&
        histogramCount(s, 'chat_api_cache_invalidation_lag_seconds', { bus: 'database' }) > 0,
    );
    expect(
      histogramCount(scraped, 'chat_api_cache_invalidation_lag_seconds', { bus: 'database' }),
    ).toBeGreaterThan(0);
  });
});

describe('bill writer series while the database refuses writes', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let other: Database;

  beforeAll(async () => {
    gateway = await startGateway({ sqliteBusyTimeoutMs: 50 });
    upstream = await startFakeUpstream();
    await addChannel(gateway, { baseUrl: upstream.url });
    other = await openDatabase({ ...readStorageConfig(gateway.testDb.env), logger: quiet });
  });
  afterAll(async () => {
    await other?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('shows the waiting bills, their holds and the failed writes, then the writes', async () => {
    const { key } = await createKey(gateway);
    const unlock = await holdWriteLock(other);
    try {
      for (let i = 0; i < 2; i++) {
        expect((await chat(gateway, key, { model: 'gpt-4o-mini' })).status).toBe(200);
      }
      const blocked = await scrapeUntil(
        gateway,
        (s) => valueOf(s, 'chat_api_bill_write_failures_total') > 0,
      );
      expect(valueOf(blocked, 'chat_api_bill_write_failures_total')).toBeGreaterThan(0);
      expect(valueOf(blocked, 'chat_api_bill_queue_depth')).toBe(2);
      expect(valueOf(blocked, 'chat_api_quota_holds')).toBe(2);
      expect(valueOf(blocked, 'chat_api_bills_written_total')).toBe(0);
    } finally {
      await unlock();
    }
    const written = await scrapeUntil(
      gateway,
      (s) => valueOf(s, 'chat_api_bills_written_total') === 2,
    );
    expect(valueOf(written, 'chat_api_bills_written_total')).toBe(2);
    expect(valueOf(written, 'chat_api_bill_queue_depth')).toBe(0);
    expect(valueOf(written, 'chat_api_quota_holds')).toBe(0);
  });
});

/** A non-loopback address of this machine, if it has one: a scrape from "elsewhere". */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;

describe('who may read /metrics', () => {
  let gateway: Gateway;
  const extra: FastifyInstance[] = [];

  /** Another proxy over the gateway's database, with its own METRICS_TOKEN and address. */
  async function proxy(metricsToken: string, host = '127.0.0.1'): Promise<string> {
    const app = build({ db: gateway.db, env: { consolePort: 3001, metricsToken } });
    extra.push(app);
    await app.listen({ port: 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `http://${host}:${port}`;
  }

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(async () => {
    for (const app of extra) await app.close();
    await gateway?.close();
  });

  it('serves loopback clients without a token, but not what a reverse proxy forwards', async () => {
    expect((await scrape(gateway.base)).status).toBe(200);
    const forwarded = await scrape(gateway.base, { 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded.status).toBe(403);
    expect(forwarded.text).toContain('METRICS_TOKEN');
    expect((await scrape(gateway.base, { forwarded: 'for=203.0.113.9' })).status).toBe(403);
  });

  it.skipIf(!externalAddress)('refuses a client from another address without a token', async () => {
    const base = await proxy('', externalAddress);
    const refused = await scrape(base);
    expect(refused.status).toBe(403);
    expect(refused.families.size).toBe(0);
  });

  it('with METRICS_TOKEN, asks every client for it as a bearer', async () => {
    const token = 'metrics-secret-0123456789';
    const base = await proxy(token);
    const missing = await scrape(base);
    expect(missing.status).toBe(401);
    expect(missing.text).not.toContain('chat_api_');
    expect((await scrape(base, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await scrape(base, { authorization: `Bearer ${token}x` })).status).toBe(401);
    const allowed = await scrape(base, { authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(allowed.families.has('chat_api_requests_total')).toBe(true);
    // Behind a reverse proxy too, once the token is set.
    const forwarded = await scrape(base, {
      authorization: `Bearer ${token}`,
      'x-forwarded-for': '203.0.113.9',
    });
    expect(forwarded.status).toBe(200);
    if (externalAddress) {
      const remote = await proxy(token, externalAddress);
      expect((await scrape(remote, { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await scrape(remote)).status).toBe(401);
    }
  });
});
