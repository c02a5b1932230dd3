import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType, nowSeconds, type NewLog } from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { daysEndingWith, foldIntoDays, localDayFormatter } from '../src/server/daily-usage.js';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

type Session = Awaited<ReturnType<typeof signedInUser>>;

const DAY = 86_400;
const utcDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
/** UTC midnight two days ago: well inside the default 7 days in every time zone. */
const base = Math.floor(nowSeconds() / DAY) * DAY - 2 * DAY;
const at = (hours: number, minutes = 0) => base + hours * 3600 + minutes * 60;

const consume = (user: Session, createdAt: number, model: string, quota: number): NewLog => ({
  userId: user.user.id,
  username: user.user.username,
  type: LogType.consume,
  createdAt,
  model,
  quota,
  promptTokens: quota * 2,
  completionTokens: quota * 3,
});

const usage = (day: string, model: string, requests: number, quota: number) => ({
  day,
  model,
  requests,
  promptTokens: quota * 2,
  completionTokens: quota * 3,
  quota,
});

/** Alice's consume logs around Shanghai's midnight (16:00 UTC), plus noise she must not see. */
async function seed(server: TestConsole, alice: Session, bob: Session) {
  await server.db.repos.logs.insertMany([
    consume(alice, at(15, 30), 'gpt-4o', 10),
    consume(alice, at(15, 59), 'gpt-4o', 1),
    consume(alice, at(16, 30), 'gpt-4o', 20),
    consume(alice, at(16, 45), 'o3', 5),
    consume(alice, at(17), 'o3', 7),
    consume(alice, base - 20 * DAY, 'gpt-4o', 1000),
    { ...consume(alice, at(16, 30), 'gpt-4o', 9999), type: LogType.topup },
    consume(bob, at(16, 30), 'gpt-4o', 300),
  ]);
}

describe.each(databaseBackends())('dashboard usage on $name', ({ name, skip }) => {
  let server: TestConsole;
  let alice: Session;
  let bob: Session;
  let admin: Session;
  beforeAll(async () => {
    if (skip) return;
    server = await startConsole({ backend: name, timeZone: 'Asia/Shanghai' });
    [alice, bob, admin] = await Promise.all([
      signedInUser(server),
      signedInUser(server),
      signedInUser(server, { role: 10 }),
    ]);
    await seed(server, alice, bob);
  });
  afterAll(() => server?.close());

  it.skipIf(skip)('sums the caller’s consume logs per local day and model', async () => {
    // 15:30 and 16:30 UTC fall on two days in Shanghai (UTC+8).
    expect(await alice.api.dashboard.usage.query()).toEqual([
      usage(utcDate(base), 'gpt-4o', 2, 11),
      usage(utcDate(base + DAY), 'gpt-4o', 1, 20),
      usage(utcDate(base + DAY), 'o3', 2, 12),
    ]);
  });

  it.skipIf(skip)('covers as many local days as asked', async () => {
    expect(await alice.api.dashboard.usage.query({ days: 1 })).toEqual([]);
    const month = await alice.api.dashboard.usage.query({ days: 30 });
    expect(month[0]).toEqual(usage(utcDate(base - 20 * DAY), 'gpt-4o', 1, 1000));
    expect(month).toHaveLength(4);
  });

  it.skipIf(skip)('shows the whole site to admins who ask, and to nobody else', async () => {
    expect(await admin.api.dashboard.usage.query()).toEqual([]);
    expect(await admin.api.dashboard.usage.query({ all: true })).toEqual([
      usage(utcDate(base), 'gpt-4o', 2, 11),
      usage(utcDate(base + DAY), 'gpt-4o', 2, 320),
      usage(utcDate(base + DAY), 'o3', 2, 12),
    ]);
    expect(await errorCode(alice.api.dashboard.usage.query({ all: true }))).toBe('FORBIDDEN');
  });
});

describe('dashboard usage in UTC', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole({ timeZone: 'UTC' });
  });
  afterAll(() => server?.close());

  it('puts the same logs on one day', async () => {
    const alice = await signedInUser(server);
    await seed(server, alice, await signedInUser(server));
    expect(await alice.api.dashboard.usage.query()).toEqual([
      usage(utcDate(base), 'gpt-4o', 3, 31),
      usage(utcDate(base), 'o3', 2, 12),
    ]);
  });

  it("counts today's requests with days: 1", async () => {
    const user = await signedInUser(server);
    const now = nowSeconds();
    await server.db.repos.logs.insertMany([consume(user, now, 'gpt-4o', 3)]);
    expect(await user.api.dashboard.usage.query({ days: 1 })).toEqual([
      usage(utcDate(now), 'gpt-4o', 1, 3),
    ]);
  });

  it('refuses days outside 1–365', async () => {
    const user = await signedInUser(server);
    await expect(user.api.dashboard.usage.query({ days: 0 })).rejects.toThrow(/^days: /);
    await expect(user.api.dashboard.usage.query({ days: 366 })).rejects.toThrow(/^days: /);
  });
});

describe('dashboard usage in Kathmandu (UTC+5:45)', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole({ timeZone: 'Asia/Kathmandu' });
  });
  afterAll(() => server?.close());

  it('splits the day at a quarter-hour midnight', async () => {
    const user = await signedInUser(server);
    // Local midnight is 18:15 UTC: 23:55 and 00:05 local share an hour but not a day.
    await server.db.repos.logs.insertMany([
      consume(user, at(18, 10), 'gpt-4o', 1),
      consume(user, at(18, 20), 'gpt-4o', 2),
    ]);
    expect(await user.api.dashboard.usage.query()).toEqual([
      usage(utcDate(base), 'gpt-4o', 1, 1),
      usage(utcDate(base + DAY), 'gpt-4o', 1, 2),
    ]);
  });
});

describe('folding buckets into local days', () => {
  const bucket = (iso: string, model = 'm') => ({
    start: Date.parse(iso) / 1000,
    model,
    requests: 1,
    promptTokens: 1,
    completionTokens: 1,
    quota: 1,
  });
  const fold = (timeZone: string, isos: string[], days: string[]) =>
    foldIntoDays(
      isos.map((iso) => bucket(iso)),
      localDayFormatter(timeZone),
      days,
    ).map((row) => [row.day, row.requests]);

  it('splits at a quarter-hour midnight (Kathmandu, UTC+5:45)', () => {
    expect(
      fold(
        'Asia/Kathmandu',
        ['2024-01-01T18:00:00Z', '2024-01-01T18:15:00Z', '2024-01-01T18:30:00Z'],
        ['2024-01-01', '2024-01-02'],
      ),
    ).toEqual([
      ['2024-01-01', 1],
      ['2024-01-02', 2],
    ]);
  });

  it('follows daylight saving changes (New York)', () => {
    const days = daysEndingWith('2024-11-04', 250);
    expect(
      fold(
        'America/New_York',
        [
          // 23:45 EST and 00:00 EST around the spring-forward day.
          '2024-03-10T04:45:00Z',
          '2024-03-10T05:00:00Z',
          // 23:45 EDT on Mar 10, then 23:45 EST on Nov 3 and 00:00 EST on Nov 4.
          '2024-03-11T03:45:00Z',
          '2024-11-04T04:45:00Z',
          '2024-11-04T05:00:00Z',
        ],
        days,
      ),
    ).toEqual([
      ['2024-03-09', 1],
      ['2024-03-10', 2],
      ['2024-11-03', 1],
      ['2024-11-04', 1],
    ]);
  });

  it('keeps only the asked-for days', () => {
    expect(fold('UTC', ['2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z'], ['2024-01-02'])).toEqual([
      ['2024-01-02', 1],
    ]);
  });

  it('counts calendar days back across months and years', () => {
    expect(daysEndingWith('2024-03-01', 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysEndingWith('2025-01-01', 2)).toEqual(['2024-12-31', '2025-01-01']);
  });
});
