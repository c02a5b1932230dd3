import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type TestDatabase } from '@chat-api/db/testing';
import { build } from '../src/server/app.js';
import { CHANNEL_TEST_JOB } from '../src/server/jobs/channel-test-job.js';
import type { ScheduledJob } from '../src/server/jobs/job.js';
import { ConsoleMetrics } from '../src/server/metrics/console-metrics.js';
import { observedJob } from '../src/server/metrics/observed-job.js';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';
import { startMasters } from './job-helpers.js';
import { scrape, seriesOf } from './scrape.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The series of a registry as a scrape would read them. */
async function read(metrics: ConsoleMetrics) {
  const families = parsePrometheusTextFormat(await metrics.registry.metrics());
  const value = (name: string, labels: Record<string, string>) =>
    Number(
      families
        .find((family) => family.name === name)
        ?.metrics.find((sample) =>
          Object.entries(labels).every(([key, label]) => sample.labels?.[key] === label),
        )?.value ?? 0,
    );
  return { value };
}

describe('GET /metrics on the console', () => {
  let server: TestConsole;

  beforeAll(async () => {
    server = await startConsole();
  });
  afterAll(() => server?.close());

  it('counts each tRPC call by procedure, type and outcome', async () => {
    const anonymous = client(server.base);
    expect(await errorCode(anonymous.api.auth.me.query())).toBe('UNAUTHORIZED');
    const { api } = await signedInUser(server);
    await api.auth.me.query();
    await api.auth.me.query();
    expect(await errorCode(api.token.get.query({ id: 'seven' as unknown as number }))).toBe(
      'BAD_REQUEST',
    );

    const scraped = await scrape(server.base);
    expect(scraped.status).toBe(200);
    expect(seriesOf(scraped, 'chat_api_console_trpc_calls_total')).toEqual({
      'procedure=auth.me,type=query,code=UNAUTHORIZED': 1,
      'procedure=auth.login,type=mutation,code=OK': 1,
      'procedure=auth.me,type=query,code=OK': 2,
      'procedure=token.get,type=query,code=BAD_REQUEST': 1,
    });
    expect(scraped.families.get('chat_api_console_trpc_calls_total')?.type).toBe('COUNTER');
    expect(scraped.families.has('process_resident_memory_bytes')).toBe(true);
  });

  it('is refused to what a reverse proxy forwards when no token is set', async () => {
    const forwarded = await scrape(server.base, { 'x-forwarded-for': '203.0.113.9' });
    expect(forwarded.status).toBe(403);
    expect(forwarded.text).toContain('METRICS_TOKEN');
  });
});

describe('the console with METRICS_TOKEN', () => {
  const token = 'console-metrics-secret-42';
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
    app = await build({
      db,
      sessionSecret: 'test-secret',
      timeZone: 'UTC',
      metricsToken: token,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('asks for it as a bearer, loopback or not', async () => {
    expect((await scrape(base)).status).toBe(401);
    expect((await scrape(base, { authorization: 'Bearer console-metrics-secret-4' })).status).toBe(
      401,
    );
    const allowed = await scrape(base, { authorization: `Bearer ${token}` });
    expect(allowed.status).toBe(200);
    expect(allowed.families.has('chat_api_job_runs_total')).toBe(true);
  });
});

describe("the master's job runs", () => {
  it('counts a run this node won, with the time of its success', async () => {
    const masters = await startMasters('sqlite');
    try {
      const metrics = new ConsoleMetrics();
      const [a, b] = masters.nodes.map((node) => masters.jobs(node, { metrics }));
      // Two masters try; one wins the lease and runs it.
      const ran = await Promise.all([a!.runDue(CHANNEL_TEST_JOB), b!.runDue(CHANNEL_TEST_JOB)]);
      expect(ran.filter(Boolean)).toHaveLength(1);
      const { value } = await read(metrics);
      expect(value('chat_api_job_runs_total', { job: CHANNEL_TEST_JOB, outcome: 'ok' })).toBe(1);
      const lastSuccess = value('chat_api_job_last_success_timestamp_seconds', {
        job: CHANNEL_TEST_JOB,
      });
      expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);
    } finally {
      await masters.close();
    }
  });

  it('counts a run that failed, and keeps the last success as it was', async () => {
    const metrics = new ConsoleMetrics();
    const failing: ScheduledJob = {
      name: 'failing-job',
      intervalSeconds: 60,
      countNames: [],
      run: () => Promise.reject(new Error('database unreachable')),
    };
    const run = { signal: new AbortController().signal, counts: {} };
    await expect(observedJob(failing, metrics).run(run)).rejects.toThrow('database unreachable');
    const { value } = await read(metrics);
    expect(value('chat_api_job_runs_total', { job: 'failing-job', outcome: 'failed' })).toBe(1);
    expect(value('chat_api_job_runs_total', { job: 'failing-job', outcome: 'ok' })).toBe(0);
    expect(value('chat_api_job_last_success_timestamp_seconds', { job: 'failing-job' })).toBe(0);
  });
});
