import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType } from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('console redemption codes', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole();
  });
  afterAll(() => server?.close());

  const codeRows = () => server.db.models.Redemption.count();

  it('shows new codes once; the list has only their last characters', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const { keys } = await admin.api.redemption.create.mutate({
      name: 'launch',
      quota: 1000,
      count: 3,
    });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9]{32}$/);

    const list = await admin.api.redemption.list.query();
    const launch = list.items.filter((item) => item.name === 'launch');
    expect(launch.map((item) => item.keyHint).sort()).toEqual(keys.map((k) => k.slice(-4)).sort());
    expect(launch[0]).toMatchObject({ status: 1, quota: 1000, redeemedTime: 0, usedUserId: 0 });
    const text = JSON.stringify(list);
    for (const key of keys) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(sha256(key));
    }
  });

  it('is for admins, except redeeming', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const user = await signedInUser(server);
    const {
      keys: [key],
    } = await admin.api.redemption.create.mutate({ name: 'x', quota: 1, count: 1 });
    const [code] = (await admin.api.redemption.list.query()).items;
    const before = await codeRows();
    expect(
      await errorCode(user.api.redemption.create.mutate({ name: 'x', quota: 1, count: 1 })),
    ).toBe('FORBIDDEN');
    expect(await errorCode(user.api.redemption.list.query())).toBe('FORBIDDEN');
    expect(await errorCode(user.api.redemption.update.mutate({ id: code!.id, status: 2 }))).toBe(
      'FORBIDDEN',
    );
    expect(await errorCode(user.api.redemption.delete.mutate({ id: code!.id }))).toBe('FORBIDDEN');
    expect(await codeRows()).toBe(before);
    expect(await user.api.redemption.redeem.mutate({ key: key! })).toEqual({ quota: 1 });
  });

  it.each([
    ['count', { name: 'n', quota: 10, count: 0 }],
    ['count', { name: 'n', quota: 10, count: 101 }],
    ['quota', { name: 'n', quota: 0, count: 1 }],
    ['quota', { name: 'n', quota: 2.5, count: 1 }],
    ['name', { name: '', quota: 10, count: 1 }],
    ['name', { name: 'n'.repeat(65), quota: 10, count: 1 }],
  ])('refuses a bad %s (%j) and creates no code', async (field, input) => {
    const admin = await signedInUser(server, { role: 10 });
    const before = await codeRows();
    await expect(admin.api.redemption.create.mutate(input)).rejects.toThrow(
      new RegExp(`^${field}: `),
    );
    expect(await codeRows()).toBe(before);
  });

  it('credits the quota once, with a top-up log, and refuses the code afterwards', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const user = await signedInUser(server, { quota: 50 });
    const {
      keys: [key],
    } = await admin.api.redemption.create.mutate({ name: 'gift', quota: 700, count: 1 });

    expect(await user.api.redemption.redeem.mutate({ key: key! })).toEqual({ quota: 700 });
    expect(await user.api.auth.me.query()).toMatchObject({ quota: 750 });
    const topups = await user.api.log.list.query({ type: LogType.topup });
    expect(topups.total).toBe(1);
    expect(topups.items[0]).toMatchObject({ quota: 700, username: user.user.username });
    expect(JSON.stringify(topups)).not.toContain(key!);

    await expect(user.api.redemption.redeem.mutate({ key: key! })).rejects.toThrow(
      /invalid or already used/,
    );
    expect(await errorCode(user.api.redemption.redeem.mutate({ key: 'no-such-code' }))).toBe(
      'BAD_REQUEST',
    );
    expect(await user.api.auth.me.query()).toMatchObject({ quota: 750 });

    const used = (await admin.api.redemption.list.query({ keyword: 'gift' })).items[0]!;
    expect(used).toMatchObject({ status: 3, usedUserId: user.user.id });
    expect(used.redeemedTime).toBeGreaterThan(0);
    // A used code cannot be made redeemable again.
    await expect(admin.api.redemption.update.mutate({ id: used.id, status: 1 })).rejects.toThrow(
      /^status: .*already used/,
    );
  });

  it('refuses a disabled code until it is enabled again', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const user = await signedInUser(server);
    const {
      keys: [key],
    } = await admin.api.redemption.create.mutate({ name: 'paused', quota: 300, count: 1 });
    const { id } = (await admin.api.redemption.list.query({ keyword: 'paused' })).items[0]!;

    expect(await admin.api.redemption.update.mutate({ id, status: 2 })).toMatchObject({
      status: 2,
    });
    await expect(user.api.redemption.redeem.mutate({ key: key! })).rejects.toThrow(
      /invalid or already used/,
    );
    expect(await user.api.auth.me.query()).toMatchObject({ quota: 0 });
    await admin.api.redemption.update.mutate({ id, status: 1 });
    expect(await user.api.redemption.redeem.mutate({ key: key! })).toEqual({ quota: 300 });
  });

  it('deletes a code so that it cannot be redeemed', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const user = await signedInUser(server);
    const {
      keys: [key],
    } = await admin.api.redemption.create.mutate({ name: 'deleted', quota: 5, count: 1 });
    const { id } = (await admin.api.redemption.list.query({ keyword: 'deleted' })).items[0]!;
    expect(await admin.api.redemption.delete.mutate({ id })).toEqual({ ok: true });
    expect(await admin.api.redemption.list.query({ keyword: 'deleted' })).toEqual({
      items: [],
      total: 0,
    });
    expect(await errorCode(admin.api.redemption.delete.mutate({ id }))).toBe('NOT_FOUND');
    expect(await errorCode(admin.api.redemption.update.mutate({ id, status: 2 }))).toBe(
      'NOT_FOUND',
    );
    expect(await errorCode(user.api.redemption.redeem.mutate({ key: key! }))).toBe('BAD_REQUEST');
  });
});

describe.each(databaseBackends())('redeeming one code concurrently on $name', ({ name, skip }) => {
  let server: TestConsole;
  beforeAll(async () => {
    if (!skip) server = await startConsole({ backend: name });
  });
  afterAll(() => server?.close());

  it.skipIf(skip)('succeeds for exactly one of several sessions', async () => {
    const admin = await signedInUser(server, { role: 10 });
    const users = await Promise.all(Array.from({ length: 8 }, () => signedInUser(server)));
    const {
      keys: [key],
    } = await admin.api.redemption.create.mutate({ name: 'race', quota: 900, count: 1 });

    const results = await Promise.allSettled(
      users.map((user) => user.api.redemption.redeem.mutate({ key: key! })),
    );
    const won = results.flatMap((result, i) =>
      result.status === 'fulfilled' ? [{ index: i, value: result.value }] : [],
    );
    expect(won).toHaveLength(1);
    expect(won[0]!.value).toEqual({ quota: 900 });
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(String(result.reason)).toMatch(/invalid or already used/);
      }
    }
    const quotas = await Promise.all(
      users.map(async (user) => (await user.api.auth.me.query()).quota),
    );
    expect(quotas).toEqual(users.map((_, i) => (i === won[0]!.index ? 900 : 0)));
    expect(await server.db.models.Log.count({ where: { type: LogType.topup } })).toBe(1);
  });
});
