import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { dueAtMs } from '../src/repositories/job-leases.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { openTestDatabase } from './helpers.js';

const MINUTE = 60_000;
const LEASE = 30_000;

describe.each(databaseBackends())('job leases on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  // Three nodes (masters) sharing one database, each with its own connections.
  let nodes: Database[] = [];
  let jobCounter = 0;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    nodes = [await openTestDatabase(testDb)];
    nodes.push(await openTestDatabase(testDb), await openTestDatabase(testDb));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await testDb?.drop();
  });

  const leases = (node: number) => nodes[node]!.repos.jobLeases;
  const claim = (job: string, holder: string, now: number) => ({
    name: job,
    holder,
    now,
    leaseMs: LEASE,
    intervalSeconds: 60,
  });
  const newJob = () => `job-${++jobCounter}`;

  it.skipIf(skip)('admits one of several nodes claiming a due job at once', async () => {
    const job = newJob();
    const now = Date.now();
    const claims = Array.from({ length: 9 }, (_, i) =>
      leases(i % 3).acquire(claim(job, `node-${i}`, now)),
    );
    const won = await Promise.all(claims);
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = `node-${won.indexOf(true)}`;
    expect(await leases(0).get(job)).toMatchObject({
      holder,
      lastStartedMs: now,
      leaseExpiresMs: now + LEASE,
      intervalSeconds: 60,
    });
  });

  it.skipIf(skip)(
    'runs a job once per interval: due again only an interval after it finished',
    async () => {
      const job = newJob();
      const start = Date.now();
      expect(await leases(0).acquire(claim(job, 'a-1', start))).toBe(true);
      // Held: nobody else starts it, whatever the time, until the lease lapses.
      expect(await leases(1).acquire(claim(job, 'b-1', start + 1000))).toBe(false);
      expect(
        await leases(0).renew({ name: job, holder: 'a-1', now: start + 2000, leaseMs: LEASE }),
      ).toBe(true);
      const summary = { counts: { tested: 3, passed: 2, disabled: 1, reenabled: 0 } };
      expect(
        await leases(0).finish({
          name: job,
          holder: 'a-1',
          now: start + 5000,
          durationMs: 5000,
          summary,
        }),
      ).toBe(true);

      const state = (await leases(2).get(job))!;
      expect(state).toEqual({
        name: job,
        holder: '',
        leaseExpiresMs: 0,
        intervalSeconds: 60,
        lastStartedMs: start,
        lastFinishedMs: start + 5000,
        lastDurationMs: 5000,
        lastSummary: summary,
      });
      expect(dueAtMs(state, 60)).toBe(start + 5000 + MINUTE);
      expect(await leases(1).acquire(claim(job, 'b-2', start + 5000 + MINUTE - 1))).toBe(false);
      expect(await leases(1).acquire(claim(job, 'b-3', start + 5000 + MINUTE))).toBe(true);
    },
  );

  it.skipIf(skip)("lets another node take a dead holder's lease once it lapses", async () => {
    const job = newJob();
    const start = Date.now();
    expect(await leases(0).acquire(claim(job, 'dead', start))).toBe(true);
    // The holder dies: no renewal, no finish.
    expect(await leases(1).acquire(claim(job, 'b-1', start + LEASE - 1))).toBe(false);
    expect(dueAtMs((await leases(1).get(job))!, 60)).toBe(start + LEASE + 1);
    expect(await leases(1).acquire(claim(job, 'b-2', start + LEASE + 1))).toBe(true);

    // Were it only slow, it learns the lease is gone and cannot overwrite the new run's record.
    const late = { name: job, holder: 'dead', now: start + LEASE + 2, leaseMs: LEASE };
    expect(await leases(0).renew(late)).toBe(false);
    expect(
      await leases(0).finish({ ...late, durationMs: 1, summary: { counts: { tested: 99 } } }),
    ).toBe(false);
    expect(await leases(2).get(job)).toMatchObject({
      holder: 'b-2',
      lastStartedMs: start + LEASE + 1,
      lastFinishedMs: 0,
      lastSummary: null,
    });
  });

  it.skipIf(skip)('keeps a renewed lease past its first expiry', async () => {
    const job = newJob();
    const start = Date.now();
    expect(await leases(0).acquire(claim(job, 'a', start))).toBe(true);
    const renewal = { name: job, holder: 'a', leaseMs: LEASE };
    expect(await leases(0).renew({ ...renewal, now: start + LEASE / 2 })).toBe(true);
    expect(await leases(0).renew({ ...renewal, now: start + LEASE })).toBe(true);
    expect(await leases(1).acquire(claim(job, 'b', start + LEASE + 1))).toBe(false);
  });

  it.skipIf(skip)('shows how often each master runs a job, also before its first run', async () => {
    const job = newJob();
    await leases(0).register(job, 600);
    await leases(1).register(job, 600);
    expect(await leases(2).get(job)).toMatchObject({
      intervalSeconds: 600,
      lastStartedMs: 0,
      lastSummary: null,
    });
    // Turned off on the master: the console no longer promises a next run.
    await leases(0).register(job, 0);
    expect((await leases(2).list()).find((state) => state.name === job)?.intervalSeconds).toBe(0);
  });
});
