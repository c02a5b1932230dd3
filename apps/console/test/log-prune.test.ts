import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogType, nowSeconds, type NewLog } from '@chat-api/db';
import { LOG_PRUNE_JOB } from '../src/server/jobs/log-prune-job.js';
import { startMasters, type Masters } from './job-helpers.js';

const DAY = 86_400;

describe('pruning consume logs past LogRetentionDays', () => {
  let masters: Masters;

  beforeEach(async () => {
    masters = await startMasters('sqlite');
  });
  afterEach(async () => {
    await masters?.close();
  });

  /** `count` logs of a type, written `daysAgo` days ago. */
  function logs(count: number, type: number, daysAgo: number): NewLog[] {
    const createdAt = nowSeconds() - daysAgo * DAY;
    return Array.from({ length: count }, () => ({ userId: 1, type, createdAt, quota: 7 }));
  }

  async function remaining() {
    const [db] = masters.nodes;
    const count = async (type: number) =>
      (await db.repos.logs.list({ type, page: 1, pageSize: 1 })).total;
    return { consume: await count(LogType.consume), topup: await count(LogType.topup) };
  }

  /** One due run of the prune job on the first master, its channel jobs off. */
  async function prune() {
    const [db] = masters.nodes;
    const jobs = masters.jobs(db, {
      channelTestSeconds: 0,
      channelUpdateSeconds: 0,
      logPruneSeconds: 60,
    });
    masters.clock.now += 120_000;
    expect(await jobs.runDue(LOG_PRUNE_JOB)).toBe(true);
    return (await db.repos.jobLeases.get(LOG_PRUNE_JOB))?.lastSummary?.counts;
  }

  it('deletes the consume logs older than the retention, in batches, and keeps the rest', async () => {
    const [db] = masters.nodes;
    await db.repos.logs.insertMany([
      ...logs(2500, LogType.consume, 40),
      ...logs(30, LogType.consume, 2),
      ...logs(5, LogType.topup, 40),
    ]);
    await db.repos.options.setMany({ LogRetentionDays: '30' });

    expect(await prune()).toEqual({ deleted: 2500, billedRequestsDeleted: 0 });
    expect(await remaining()).toEqual({ consume: 30, topup: 5 });
  });

  it('keeps every log while LogRetentionDays is 0', async () => {
    const [db] = masters.nodes;
    await db.repos.logs.insertMany(logs(10, LogType.consume, 400));
    expect(await prune()).toEqual({ deleted: 0, billedRequestsDeleted: 0 });
    expect(await remaining()).toEqual({ consume: 10, topup: 0 });
  });

  it('forgets the requests billed without a log after a day, whatever the retention', async () => {
    const [db] = masters.nodes;
    const billed = (prefix: string, count: number, createdAt: number) =>
      Array.from({ length: count }, (_, i) => ({ requestId: `${prefix}-${i}`, createdAt }));
    await db.models.BilledRequest.bulkCreate([
      ...billed('old', 1200, nowSeconds() - 2 * DAY),
      ...billed('recent', 3, nowSeconds() - 3600),
    ]);
    expect(await prune()).toEqual({ deleted: 0, billedRequestsDeleted: 1200 });
    const left = await db.models.BilledRequest.findAll({ attributes: ['requestId'], raw: true });
    expect(left.map((row) => row.requestId).sort()).toEqual(['recent-0', 'recent-1', 'recent-2']);
  });
});
