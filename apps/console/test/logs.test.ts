import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType, type NewLog } from '@chat-api/db';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

type Session = Awaited<ReturnType<typeof signedInUser>>;

const T0 = 1_700_000_000;

describe('console logs', () => {
  let server: TestConsole;
  let alice: Session;
  let bob: Session;
  let admin: Session;
  let root: Session;
  let logs: NewLog[];

  beforeAll(async () => {
    server = await startConsole();
    alice = await signedInUser(server);
    bob = await signedInUser(server);
    admin = await signedInUser(server, { role: 10 });
    root = await signedInUser(server, { role: 100 });
    const consume = (user: Session, i: number, extra: Partial<NewLog> = {}): NewLog => ({
      userId: user.user.id,
      username: user.user.username,
      type: LogType.consume,
      createdAt: T0 + i * 60,
      model: i % 2 ? 'gpt-4o' : 'o3',
      tokenName: i % 3 ? 'ci' : 'laptop',
      channelId: 1 + (i % 2),
      promptTokens: 100 + i,
      completionTokens: 10 * i,
      quota: 1000 + i,
      isStream: i % 2 === 0,
      ttftMs: 50,
      durationMs: 900,
      requestId: `req-${user.user.id}-${i}`,
      content: 'model gpt-4o, ratio 1',
      other: JSON.stringify({ channelKeyHint: 'abcd', modelRatio: 1 }),
      ...extra,
    });
    logs = [
      ...Array.from({ length: 7 }, (_, i) => consume(alice, i)),
      consume(alice, 7, { type: LogType.topup, model: '', quota: 5000, promptTokens: 0 }),
      ...Array.from({ length: 4 }, (_, i) => consume(bob, i)),
    ];
    await server.db.repos.logs.insertMany(logs);
  });
  afterAll(() => server?.close());

  const sum = (rows: NewLog[]) => ({
    quota: rows.reduce((n, l) => n + (l.quota ?? 0), 0),
    requests: rows.length,
    promptTokens: rows.reduce((n, l) => n + (l.promptTokens ?? 0), 0),
    completionTokens: rows.reduce((n, l) => n + (l.completionTokens ?? 0), 0),
  });
  const ownedBy = (user: Session) => logs.filter((l) => l.userId === user.user.id);

  it('shows a common user only their own logs, whatever they filter by', async () => {
    const own = await alice.api.log.list.query();
    expect(own.total).toBe(8);
    expect(new Set(own.items.map((l) => l.username))).toEqual(new Set([alice.user.username]));
    // Asking for another user's name is ignored, not honoured.
    const asBob = await alice.api.log.list.query({ username: bob.user.username });
    expect(asBob.total).toBe(8);
    expect(asBob.items.map((l) => l.username)).not.toContain(bob.user.username);
    expect(await alice.api.log.stats.query({ username: bob.user.username })).toEqual(
      sum(ownedBy(alice)),
    );
    expect(await bob.api.log.stats.query()).toEqual(sum(ownedBy(bob)));
  });

  it('shows the documented fields, and admin-only details only to admins', async () => {
    const { items } = await alice.api.log.list.query({ type: LogType.consume, pageSize: 1 });
    expect(items[0]).toEqual({
      id: expect.any(Number),
      createdAt: T0 + 6 * 60,
      type: LogType.consume,
      username: alice.user.username,
      tokenName: 'laptop',
      model: 'o3',
      channelId: 1,
      promptTokens: 106,
      completionTokens: 60,
      quota: 1006,
      isStream: true,
      ttftMs: 50,
      durationMs: 900,
      requestId: `req-${alice.user.id}-6`,
      content: 'model gpt-4o, ratio 1',
    });
    const asAdmin = await admin.api.log.list.query({ username: alice.user.username, pageSize: 1 });
    expect(asAdmin.items[0]).toMatchObject({ other: expect.stringContaining('modelRatio') });
  });

  it('lets admins see and filter everyone’s logs', async () => {
    expect((await admin.api.log.list.query()).total).toBe(12);
    expect((await admin.api.log.list.query({ username: bob.user.username })).total).toBe(4);
    expect(await admin.api.log.stats.query({ type: LogType.consume })).toEqual(
      sum(logs.filter((l) => l.type === LogType.consume)),
    );
  });

  it.each([
    ['type', { type: LogType.topup }, (l: NewLog) => l.type === LogType.topup],
    ['model', { model: 'gpt-4o' }, (l: NewLog) => l.model === 'gpt-4o'],
    ['tokenName', { tokenName: 'laptop' }, (l: NewLog) => l.tokenName === 'laptop'],
    ['channelId', { channelId: 2 }, (l: NewLog) => l.channelId === 2],
    [
      'from and to, both inclusive',
      { from: T0 + 60, to: T0 + 180 },
      (l: NewLog) => l.createdAt >= T0 + 60 && l.createdAt <= T0 + 180,
    ],
    ['nothing (empty strings)', { model: '', tokenName: '' }, () => true],
  ])('filters by %s, in the list and in the stats alike', async (_name, filter, keep) => {
    const expected = ownedBy(alice).filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    const list = await alice.api.log.list.query({ ...filter, pageSize: 100 });
    expect(list.total).toBe(expected.length);
    expect(list.items.map((l) => l.requestId).sort()).toEqual(
      expected.map((l) => l.requestId).sort(),
    );
    expect(await alice.api.log.stats.query(filter)).toEqual(sum(expected));
  });

  it('pages newest first', async () => {
    const pages = await Promise.all(
      [1, 2, 3].map((page) => alice.api.log.list.query({ page, pageSize: 3 })),
    );
    expect(pages.map((p) => p.total)).toEqual([8, 8, 8]);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 2]);
    const ids = pages.flatMap((p) => p.items.map((l) => l.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(8);
  });

  it('refuses pages out of range', async () => {
    await expect(alice.api.log.list.query({ pageSize: 101 })).rejects.toThrow(/^pageSize: /);
    await expect(alice.api.log.list.query({ page: 0 })).rejects.toThrow(/^page: /);
    expect(await errorCode(alice.api.log.list.query({ from: -1 }))).toBe('BAD_REQUEST');
  });

  it('deletes old logs for root only', async () => {
    const cutoff = T0 + 2 * 60;
    for (const caller of [alice, admin]) {
      expect(await errorCode(caller.api.log.deleteBefore.mutate({ before: cutoff }))).toBe(
        'FORBIDDEN',
      );
    }
    expect((await admin.api.log.list.query()).total).toBe(12);
    const older = logs.filter((l) => l.createdAt < cutoff).length;
    expect(await root.api.log.deleteBefore.mutate({ before: cutoff })).toEqual({
      deleted: older,
    });
    const left = await root.api.log.list.query({ pageSize: 100 });
    expect(left.total).toBe(12 - older);
    expect(Math.min(...left.items.map((l) => l.createdAt))).toBe(cutoff);
  });
});
