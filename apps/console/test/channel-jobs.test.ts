import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ChannelStatus, type Database } from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { BALANCE_JOB } from '../src/server/jobs/balance-job.js';
import { CHANNEL_TEST_JOB } from '../src/server/jobs/channel-test-job.js';
import { channelJobsStatus } from '../src/server/jobs/job-status.js';
import type { JobScheduler } from '../src/server/jobs/scheduler.js';
import {
  chatRequests,
  openaiChannel,
  routedChannelIds,
  startMasters,
  UPSTREAM_KEY,
  type Masters,
} from './job-helpers.js';

describe.each(databaseBackends())('scheduled channel jobs on $name', ({ name, skip }) => {
  // PostgreSQL and MySQL run too when their TEST_* variables are set.
  const it = test.skipIf(Boolean(skip));
  let upstream: FakeUpstream;
  let masters: Masters;
  let master: Database;
  let jobs: JobScheduler;

  beforeAll(async () => {
    if (skip) return;
    upstream = await startFakeUpstream({ keys: [UPSTREAM_KEY] });
  });
  afterAll(() => upstream?.close());
  beforeEach(async () => {
    if (skip) return;
    upstream.reset();
    masters = await startMasters(name);
    master = masters.nodes[0];
    jobs = masters.jobs(master);
  });
  afterEach(() => masters?.close());

  /** The next run of the job, one interval after the last: what the master's timer does. */
  async function nextRun(job = CHANNEL_TEST_JOB) {
    masters.clock.now += 61_000;
    expect(await jobs.runDue(job)).toBe(true);
    const status = await channelJobsStatus(master.repos.jobLeases, masters.clock.now);
    return job === CHANNEL_TEST_JOB ? status.test.counts : status.balance.counts;
  }
  const statusOf = async (id: number) => (await master.repos.channels.get(id))!.status;
  const setOptions = (values: Record<string, string>) => master.repos.options.setMany(values);

  it('disables a channel whose upstream fails, for every proxy, and re-enables it once it recovers', async () => {
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    expect(await nextRun()).toEqual({ tested: 1, passed: 1, disabled: 0, reenabled: 0 });
    // The console's Test: a one-token completion with the channel's first model.
    expect(chatRequests(upstream).map((request) => request.body)).toMatchObject([
      { model: 'gpt-4o-mini', max_tokens: 1 },
    ]);
    // A proxy node (its own cache) routes to the channel.
    const proxyNode = masters.nodes[1];
    expect(await routedChannelIds(proxyNode)).toEqual([id]);

    upstream.fail({ status: 500, message: 'The server is overloaded' });
    expect(await nextRun()).toEqual({ tested: 1, passed: 0, disabled: 1, reenabled: 0 });
    expect(await statusOf(id)).toBe(ChannelStatus.autoDisabled);
    await expect.poll(() => routedChannelIds(proxyNode), { timeout: 3000 }).toEqual([]);
    expect(masters.logger.lines).toContainEqual(
      expect.stringMatching(/channel #\d+ \(fake openai\) auto-disabled: .*overloaded/),
    );

    upstream.reset();
    expect(await nextRun()).toEqual({ tested: 1, passed: 1, disabled: 0, reenabled: 1 });
    expect(await statusOf(id)).toBe(ChannelStatus.enabled);
    await expect.poll(() => routedChannelIds(proxyNode), { timeout: 3000 }).toEqual([id]);
  });

  it('leaves an auto-disabled channel disabled when AutomaticEnableChannelEnabled is off', async () => {
    await setOptions({ AutomaticEnableChannelEnabled: 'false' });
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    upstream.fail({ status: 401, message: 'Incorrect API key provided' });
    expect(await nextRun()).toMatchObject({ disabled: 1 });
    upstream.reset();
    expect(await nextRun()).toEqual({ tested: 1, passed: 1, disabled: 0, reenabled: 0 });
    expect(await statusOf(id)).toBe(ChannelStatus.autoDisabled);
  });

  it('keeps a failing channel enabled when AutomaticDisableChannelEnabled is off, noting its test', async () => {
    await setOptions({ AutomaticDisableChannelEnabled: 'false' });
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    upstream.fail({ status: 500, message: 'down' });
    expect(await nextRun()).toEqual({ tested: 1, passed: 0, disabled: 0, reenabled: 0 });
    expect(await master.repos.channels.get(id)).toMatchObject({
      status: ChannelStatus.enabled,
      testTime: expect.any(Number),
    });
    expect((await master.repos.channels.get(id))!.testTime).toBeGreaterThan(0);
  });

  it('never re-enables a manually disabled channel, not even one disabled during its test', async () => {
    const manual = await master.repos.channels.create(
      openaiChannel(upstream, { models: ['m-manual'] }),
    );
    await master.repos.channels.setStatus(manual.id, ChannelStatus.manuallyDisabled);
    const auto = await master.repos.channels.create(
      openaiChannel(upstream, { models: ['m-auto'] }),
    );
    await master.repos.channels.setStatus(auto.id, ChannelStatus.autoDisabled);

    // The admin disables the auto-disabled channel by hand while its (passing) test is running.
    upstream.slow(500);
    masters.clock.now += 61_000;
    const run = jobs.runDue(CHANNEL_TEST_JOB);
    await expect.poll(() => chatRequests(upstream).length).toBe(1);
    await master.repos.channels.update(auto.id, { status: ChannelStatus.manuallyDisabled });
    expect(await run).toBe(true);

    const { test: status } = await channelJobsStatus(master.repos.jobLeases, masters.clock.now);
    expect(status.counts).toEqual({ tested: 1, passed: 1, disabled: 0, reenabled: 0 });
    expect(await statusOf(auto.id)).toBe(ChannelStatus.manuallyDisabled);
    expect(await statusOf(manual.id)).toBe(ChannelStatus.manuallyDisabled);
    // The channel disabled by hand beforehand is not even sent a test.
    expect(
      chatRequests(upstream).map((request) => (request.body as { model: string }).model),
    ).toEqual(['m-auto']);
  });

  it('disables a channel slower than ChannelDisableThreshold, and only when one is set', async () => {
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    upstream.slow(1300);
    await setOptions({ ChannelDisableThreshold: '0' });
    expect(await nextRun()).toEqual({ tested: 1, passed: 1, disabled: 0, reenabled: 0 });
    expect(await statusOf(id)).toBe(ChannelStatus.enabled);

    await setOptions({ ChannelDisableThreshold: '1' });
    expect(await nextRun()).toEqual({ tested: 1, passed: 0, disabled: 1, reenabled: 0 });
    expect(await master.repos.channels.get(id)).toMatchObject({
      status: ChannelStatus.autoDisabled,
      responseTime: expect.any(Number),
    });
    expect((await master.repos.channels.get(id))!.responseTime).toBeGreaterThanOrEqual(1300);
  });

  it('updates the balances of the channels whose type reports one, POLLING_INTERVAL apart', async () => {
    jobs = masters.jobs(master, { pollingIntervalSeconds: 1 });
    upstream.balances.openai = { hardLimitUsd: 120, totalUsageCents: 2050, hasPaymentMethod: true };
    const openai = await master.repos.channels.create(openaiChannel(upstream));
    const groq = await master.repos.channels.create({
      ...openaiChannel(upstream),
      type: 'groq',
      baseUrl: `${upstream.url}/openai`,
    });
    const refused = await master.repos.channels.create({
      ...openaiChannel(upstream),
      key: 'sk-revoked-W1x2Y3z4A5b6C7d8E9f0G1h2',
    });

    expect(await nextRun(BALANCE_JOB)).toEqual({ updated: 1, failed: 1 });
    expect(await master.repos.channels.get(openai.id)).toMatchObject({ balance: 99.5 });
    expect((await master.repos.channels.get(openai.id))!.balanceUpdatedTime).toBeGreaterThan(0);
    expect((await master.repos.channels.get(groq.id))!.balanceUpdatedTime).toBe(0);
    expect((await master.repos.channels.get(refused.id))!.balanceUpdatedTime).toBe(0);
    // No request for groq; one pause between the two channels asked.
    expect(upstream.requests.map((request) => request.url.split('?')[0])).toEqual([
      '/v1/dashboard/billing/subscription',
      '/v1/dashboard/billing/usage',
      '/v1/dashboard/billing/subscription',
    ]);
    const { balance } = await channelJobsStatus(master.repos.jobLeases, masters.clock.now);
    expect(balance.durationMs).toBeGreaterThanOrEqual(1000);
    expect(masters.logger.lines.join('\n')).not.toContain('sk-revoked');
  });
});
