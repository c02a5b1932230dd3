import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ChannelStatus } from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { BALANCE_JOB } from '../src/server/jobs/balance-job.js';
import { CHANNEL_TEST_JOB } from '../src/server/jobs/channel-test-job.js';
import { channelJobsStatus } from '../src/server/jobs/job-status.js';
import {
  chatRequests,
  openaiChannel,
  startMasters,
  UPSTREAM_KEY,
  type Masters,
} from './job-helpers.js';

const balanceRequests = (upstream: FakeUpstream) =>
  upstream.requests.filter((request) => request.url.includes('/dashboard/billing/'));

/** Several masters over one database: each job runs once per interval, and never twice at once. */
describe.each(databaseBackends())('channel jobs of several masters on $name', ({ name, skip }) => {
  const it = test.skipIf(Boolean(skip));
  let upstream: FakeUpstream;
  let masters: Masters;

  beforeAll(async () => {
    if (skip) return;
    upstream = await startFakeUpstream({ keys: [UPSTREAM_KEY] });
  });
  afterAll(() => upstream?.close());
  beforeEach(async () => {
    if (skip) return;
    upstream.reset();
    masters = await startMasters(name);
    await masters.nodes[0].repos.channels.create(openaiChannel(upstream));
  });
  afterEach(() => masters?.close());

  it('runs each job once per interval however many masters try', async () => {
    const [a, b] = masters.nodes.map((node) => masters.jobs(node));
    const tryAll = () =>
      Promise.all([
        a!.runDue(CHANNEL_TEST_JOB),
        b!.runDue(CHANNEL_TEST_JOB),
        a!.runDue(BALANCE_JOB),
        b!.runDue(BALANCE_JOB),
        a!.runDue(CHANNEL_TEST_JOB),
        b!.runDue(BALANCE_JOB),
      ]);
    const ran = (results: boolean[]) => ({
      test: [results[0], results[1], results[4]].filter(Boolean).length,
      balance: [results[2], results[3], results[5]].filter(Boolean).length,
    });

    expect(ran(await tryAll())).toEqual({ test: 1, balance: 1 });
    expect(chatRequests(upstream)).toHaveLength(1);
    expect(balanceRequests(upstream)).toHaveLength(2);

    // Half an interval later nothing is due.
    masters.clock.now += 30_000;
    expect(ran(await tryAll())).toEqual({ test: 0, balance: 0 });
    // A whole interval after the runs finished, each job runs once more.
    masters.clock.now += 30_000;
    expect(ran(await tryAll())).toEqual({ test: 1, balance: 1 });
    expect(chatRequests(upstream)).toHaveLength(2);
    expect(balanceRequests(upstream)).toHaveLength(4);
  });

  it('keeps two running masters a whole interval apart', async () => {
    // Real clocks and timers: both masters start together, tests every second.
    const options = { channelTestSeconds: 1, channelUpdateSeconds: 0, now: Date.now };
    const schedulers = masters.nodes.map((node) => masters.jobs(node, options));
    const arrivals: number[] = [];
    const started = Date.now();
    await Promise.all(schedulers.map((scheduler) => scheduler.start()));
    await expect
      .poll(
        () => {
          while (arrivals.length < chatRequests(upstream).length) arrivals.push(Date.now());
          return arrivals.length;
        },
        { interval: 10, timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(3);
    await Promise.all(schedulers.map((scheduler) => scheduler.stop()));

    expect(arrivals[0]! - started).toBeLessThan(5_000);
    const gaps = arrivals.slice(1).map((time, i) => time - arrivals[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    expect(balanceRequests(upstream)).toHaveLength(0);
  });

  it("takes over the job once a dead master's lease lapses", async () => {
    const [dead, survivor] = masters.nodes;
    // A master took the lease and died mid-run: never renewed, never finished.
    const lease = { name: CHANNEL_TEST_JOB, holder: 'dead-master', leaseMs: 60_000 };
    expect(
      await dead.repos.jobLeases.acquire({ ...lease, now: masters.clock.now, intervalSeconds: 60 }),
    ).toBe(true);
    const jobs = masters.jobs(survivor);
    masters.clock.now += 59_000;
    expect(await jobs.runDue(CHANNEL_TEST_JOB)).toBe(false);
    expect(chatRequests(upstream)).toHaveLength(0);

    masters.clock.now += 1_001;
    expect(await jobs.runDue(CHANNEL_TEST_JOB)).toBe(true);
    expect(chatRequests(upstream)).toHaveLength(1);
    const { test: status } = await channelJobsStatus(survivor.repos.jobLeases, masters.clock.now);
    expect(status).toMatchObject({
      running: false,
      lastStarted: Math.floor(masters.clock.now / 1000),
      counts: { tested: 1, passed: 1 },
    });
  });

  it('abandons a run stuck on an upstream at shutdown, freeing the lease and writing nothing more', async () => {
    const [node] = masters.nodes;
    const channel = (await node.repos.channels.list())[0]!;
    await node.repos.channels.setStatus(channel.id, ChannelStatus.autoDisabled);
    const jobs = masters.jobs(node, { abandonAfterMs: 200 });
    upstream.slow(1500);
    const run = jobs.runDue(CHANNEL_TEST_JOB);
    await expect.poll(() => chatRequests(upstream).length).toBe(1);
    const running = await channelJobsStatus(node.repos.jobLeases, masters.clock.now);
    expect(running.test).toMatchObject({ running: true, nextDue: null });

    await jobs.stop();
    expect(await run).toBe(true);
    const { test: status } = await channelJobsStatus(node.repos.jobLeases, masters.clock.now);
    expect(status).toMatchObject({
      running: false,
      interrupted: 'shutdown',
      counts: { tested: 0, passed: 0, disabled: 0, reenabled: 0 },
    });
    expect((await node.repos.jobLeases.get(CHANNEL_TEST_JOB))!.holder).toBe('');
    // The upstream answers (a pass) at last: too late, the run writes nothing.
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(await node.repos.channels.get(channel.id)).toMatchObject({
      status: ChannelStatus.autoDisabled,
      testTime: 0,
    });
  });
});
