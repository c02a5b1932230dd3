import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { BALANCE_JOB } from '../src/server/jobs/balance-job.js';
import { masterJobs } from '../src/server/jobs/master-jobs.js';
import { CHANNEL_TEST_JOB } from '../src/server/jobs/channel-test-job.js';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';
import { openaiChannel, recordingLogger, UPSTREAM_KEY } from './job-helpers.js';

describe.each(databaseBackends())('channel.jobs on $name', ({ name, skip }) => {
  const it = test.skipIf(Boolean(skip));
  let server: TestConsole;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    if (skip) return;
    server = await startConsole({ backend: name });
    upstream = await startFakeUpstream({ keys: [UPSTREAM_KEY] });
  });
  afterAll(async () => {
    await upstream?.close();
    await server?.close();
  });

  it("is an admin's only, and shows each job's interval, last run and next run", async () => {
    const admin = (await signedInUser(server, { role: 10 })).api;
    const common = (await signedInUser(server)).api;
    expect(await errorCode(common.channel.jobs.query())).toBe('FORBIDDEN');

    // No master has scheduled anything yet.
    expect((await admin.channel.jobs.query()).test).toMatchObject({
      intervalSeconds: 0,
      lastStarted: 0,
      counts: null,
      nextDue: null,
    });

    await admin.channel.create.mutate({ ...openaiChannel(upstream), type: 'openai' });
    const jobs = masterJobs({
      db: server.db,
      logger: recordingLogger(),
      channelTestSeconds: 600,
      channelUpdateSeconds: 3600,
      pollingIntervalSeconds: 0,
    });
    try {
      expect(await jobs.runDue(CHANNEL_TEST_JOB)).toBe(true);
      expect(await jobs.runDue(BALANCE_JOB)).toBe(true);
    } finally {
      await jobs.stop();
    }

    const { test: tests, balance } = await admin.channel.jobs.query();
    const now = Math.floor(Date.now() / 1000);
    expect(tests).toEqual({
      intervalSeconds: 600,
      running: false,
      lastStarted: expect.any(Number),
      lastFinished: expect.any(Number),
      durationMs: expect.any(Number),
      counts: { tested: 1, passed: 1, disabled: 0, reenabled: 0 },
      interrupted: null,
      error: null,
      nextDue: tests.lastFinished + 600,
    });
    expect(tests.lastStarted).toBeGreaterThan(now - 60);
    expect(tests.lastFinished).toBeGreaterThanOrEqual(tests.lastStarted);
    expect(balance).toMatchObject({
      intervalSeconds: 3600,
      counts: { updated: 1, failed: 0 },
      nextDue: balance.lastFinished + 3600,
    });
  });
});
