import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { nowSeconds } from '@chat-api/db';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Fails when a response carries the key or its hash anywhere. */
function expectNoSecret(response: unknown, key: string) {
  const text = JSON.stringify(response);
  expect(text).not.toContain(key);
  expect(text).not.toContain(key.slice(3));
  expect(text).not.toContain(sha256(key));
}

describe('console tokens', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole();
  });
  afterAll(() => server?.close());

  const tokenRows = () => server.db.models.Token.count();
  /** What the proxy would do: set columns the console does not set. */
  const setColumns = (id: number, values: { firstUsedTime?: number; status?: number }) =>
    server.db.models.Token.update(values, { where: { id } });

  it('shows the key only when creating or regenerating it', async () => {
    const alice = await signedInUser(server);
    const created = await alice.api.token.create.mutate({ name: 'ci', remainQuota: 5000 });
    expect(created).toEqual({
      id: expect.any(Number),
      key: expect.stringMatching(/^sk-[A-Za-z0-9]{48}$/),
    });
    const { key } = created;

    const list = await alice.api.token.list.query();
    const got = await alice.api.token.get.query({ id: created.id });
    const updated = await alice.api.token.update.mutate({ id: created.id, name: 'ci-2' });
    for (const response of [list, got, updated]) expectNoSecret(response, key);
    expect(got).toEqual({
      id: created.id,
      name: 'ci',
      keyHint: key.slice(-4),
      status: 1,
      remainQuota: 5000,
      usedQuota: 0,
      unlimitedQuota: false,
      expiredTime: -1,
      expiryMode: 'fixed',
      durationSeconds: 0,
      firstUsedTime: 0,
      models: [],
      subnets: [],
      group: '',
      rpmLimit: 0,
      tpmLimit: 0,
      concurrencyLimit: 0,
      createdTime: expect.any(Number),
      accessedTime: 0,
    });

    const { key: newKey } = await alice.api.token.regenerateKey.mutate({ id: created.id });
    expect(newKey).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(newKey).not.toBe(key);
    expect(await server.db.repos.tokens.findByKey(key)).toBeNull();
    expect(await server.db.repos.tokens.findByKey(newKey)).toMatchObject({ id: created.id });
    const after = await alice.api.token.list.query();
    expectNoSecret(after, newKey);
    expect(after.items[0]).toMatchObject({ id: created.id, keyHint: newKey.slice(-4) });
  });

  it("keeps every user, admins included, away from another user's tokens", async () => {
    const alice = await signedInUser(server);
    const bob = await signedInUser(server);
    const admin = await signedInUser(server, { role: 10 });
    const { id, key } = await alice.api.token.create.mutate({ name: 'alice-key' });

    for (const other of [bob, admin]) {
      expect(await errorCode(other.api.token.get.query({ id }))).toBe('NOT_FOUND');
      expect(
        await errorCode(other.api.token.update.mutate({ id, name: 'stolen', status: 2 })),
      ).toBe('NOT_FOUND');
      expect(await errorCode(other.api.token.regenerateKey.mutate({ id }))).toBe('NOT_FOUND');
      expect(await errorCode(other.api.token.delete.mutate({ id }))).toBe('NOT_FOUND');
      const { items } = await other.api.token.list.query();
      expect(items.map((t) => t.id)).not.toContain(id);
    }
    // Nothing happened to it: same name, enabled, and the original key still works.
    expect(await alice.api.token.get.query({ id })).toMatchObject({ name: 'alice-key', status: 1 });
    expect(await server.db.repos.tokens.findByKey(key)).toMatchObject({ id });
    expect(await errorCode(client(server.base).api.token.list.query())).toBe('UNAUTHORIZED');
  });

  it('lists only the caller’s tokens, by page and by name', async () => {
    const carol = await signedInUser(server);
    for (const name of ['prod-a', 'prod-b', 'dev-a']) await carol.api.token.create.mutate({ name });
    const all = await carol.api.token.list.query();
    expect(all.total).toBe(3);
    expect(all.items.map((t) => t.name)).toEqual(['dev-a', 'prod-b', 'prod-a']);
    const page2 = await carol.api.token.list.query({ page: 2, pageSize: 2 });
    expect(page2).toMatchObject({ total: 3, items: [{ name: 'prod-a' }] });
    const prod = await carol.api.token.list.query({ keyword: 'prod' });
    expect(prod.items.map((t) => t.name)).toEqual(['prod-b', 'prod-a']);
  });

  it('stores limits, model lists and IPv4/IPv6 subnets as given', async () => {
    const dave = await signedInUser(server, { group: 'vip' });
    const { id } = await dave.api.token.create.mutate({
      name: 'limited',
      remainQuota: 0,
      unlimitedQuota: true,
      expiredTime: nowSeconds() + 3600,
      models: ['gpt-4o', 'o3'],
      subnets: ['10.0.0.0/8', '2001:db8::/32', '192.168.1.7', '::1'],
      group: 'vip',
    });
    expect(await dave.api.token.get.query({ id })).toMatchObject({
      status: 1,
      remainQuota: 0,
      unlimitedQuota: true,
      models: ['gpt-4o', 'o3'],
      subnets: ['10.0.0.0/8', '2001:db8::/32', '192.168.1.7', '::1'],
      group: 'vip',
    });
    // A token created with no quota setting is bounded by its owner's quota only.
    const plain = await dave.api.token.create.mutate({ name: 'plain' });
    expect(await dave.api.token.get.query({ id: plain.id })).toMatchObject({
      status: 1,
      unlimitedQuota: true,
    });
    // Empty lists clear the restrictions again.
    expect(await dave.api.token.update.mutate({ id, models: [], subnets: [] })).toMatchObject({
      models: [],
      subnets: [],
    });
  });

  it.each([
    ['subnets', { subnets: ['10.0.0.0/33'] }],
    ['subnets', { subnets: ['10.0.0.0/8', 'not-an-ip'] }],
    ['subnets', { subnets: ['2001:db8::/129'] }],
    ['remainQuota', { remainQuota: -1 }],
    ['remainQuota', { remainQuota: 1.5 }],
    ['name', { name: 'x'.repeat(65) }],
    ['name', { name: '   ' }],
    ['durationSeconds', { expiryMode: 'first_use' as const }],
    ['durationSeconds', { expiryMode: 'first_use' as const, durationSeconds: 0 }],
    ['expiredTime', { expiredTime: -2 }],
    ['expiredTime', { expiredTime: Date.now() }],
    ['models', { models: ['gpt-4o,o3'] }],
    ['models', { models: [''] }],
    ['group', { group: 'g'.repeat(65) }],
    ['group', { group: 'vip' }],
  ])('refuses a bad %s (%j) on create and writes nothing', async (field, bad) => {
    const user = await signedInUser(server);
    const before = await tokenRows();
    const error = await user.api.token.create
      .mutate({ name: 'bad', ...bad })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).message).toMatch(new RegExp(`^${field}\\b`));
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await tokenRows()).toBe(before);
  });

  it('refuses a bad update and leaves the token as it was', async () => {
    const user = await signedInUser(server);
    const { id } = await user.api.token.create.mutate({ name: 'keep', subnets: ['10.0.0.0/8'] });
    const before = await user.api.token.get.query({ id });
    for (const [field, bad] of [
      ['subnets', { subnets: ['300.0.0.0/8'] }],
      ['remainQuota', { remainQuota: -100 }],
      ['name', { name: 'n'.repeat(65) }],
      ['durationSeconds', { expiryMode: 'first_use' as const }],
      ['status', { status: 3 }],
    ] as const) {
      const call = user.api.token.update.mutate({ id, ...bad } as never);
      await expect(call).rejects.toThrow(new RegExp(`^${field}\\b`));
    }
    expect(await user.api.token.get.query({ id })).toEqual(before);
  });

  it('shows a token past its fixed expiry as expired (3)', async () => {
    const user = await signedInUser(server);
    const past = await user.api.token.create.mutate({
      name: 'old',
      expiredTime: nowSeconds() - 60,
    });
    const future = await user.api.token.create.mutate({
      name: 'new',
      expiredTime: nowSeconds() + 3600,
    });
    expect(await user.api.token.get.query({ id: past.id })).toMatchObject({ status: 3 });
    expect(await user.api.token.get.query({ id: future.id })).toMatchObject({ status: 1 });
    const { items } = await user.api.token.list.query();
    expect(items.map((t) => [t.name, t.status])).toEqual([
      ['new', 1],
      ['old', 3],
    ]);
  });

  it('starts a first_use token’s clock at its first use and expires it after the duration', async () => {
    const user = await signedInUser(server);
    const { id } = await user.api.token.create.mutate({
      name: 'trial',
      expiryMode: 'first_use',
      durationSeconds: 3600,
      // Ignored in first_use mode: only the lifetime since first use counts.
      expiredTime: nowSeconds() - 60,
    });
    expect(await user.api.token.get.query({ id })).toMatchObject({
      status: 1,
      expiryMode: 'first_use',
      durationSeconds: 3600,
      firstUsedTime: 0,
    });
    await setColumns(id, { firstUsedTime: nowSeconds() - 600 });
    expect(await user.api.token.get.query({ id })).toMatchObject({ status: 1 });
    await setColumns(id, { firstUsedTime: nowSeconds() - 3601 });
    expect(await user.api.token.get.query({ id })).toMatchObject({ status: 3 });
  });

  it('shows a limited token without quota as exhausted (4), an unlimited one as enabled', async () => {
    const user = await signedInUser(server);
    const empty = await user.api.token.create.mutate({ name: 'empty', remainQuota: 0 });
    const unlimited = await user.api.token.create.mutate({
      name: 'unlimited',
      remainQuota: 0,
      unlimitedQuota: true,
    });
    expect(await user.api.token.get.query({ id: empty.id })).toMatchObject({ status: 4 });
    expect(await user.api.token.get.query({ id: unlimited.id })).toMatchObject({ status: 1 });
  });

  it('disables and enables a token', async () => {
    const user = await signedInUser(server);
    const { id } = await user.api.token.create.mutate({ name: 'toggle', remainQuota: 10 });
    expect(await user.api.token.update.mutate({ id, status: 2 })).toMatchObject({ status: 2 });
    expect(await user.api.token.get.query({ id })).toMatchObject({ status: 2 });
    expect(await user.api.token.update.mutate({ id, status: 1 })).toMatchObject({ status: 1 });
  });

  it('refuses to enable a token while it is expired or exhausted, unless the update fixes it', async () => {
    const user = await signedInUser(server);
    const expired = await user.api.token.create.mutate({
      name: 'expired',
      remainQuota: 10,
      expiredTime: nowSeconds() - 60,
    });
    await user.api.token.update.mutate({ id: expired.id, status: 2 });
    await expect(user.api.token.update.mutate({ id: expired.id, status: 1 })).rejects.toThrow(
      /^status: .*expired.*expiredTime/,
    );
    expect(await errorCode(user.api.token.update.mutate({ id: expired.id, status: 1 }))).toBe(
      'BAD_REQUEST',
    );
    expect(await user.api.token.get.query({ id: expired.id })).toMatchObject({ status: 2 });
    expect(
      await user.api.token.update.mutate({ id: expired.id, status: 1, expiredTime: -1 }),
    ).toMatchObject({ status: 1, expiredTime: -1 });

    const trial = await user.api.token.create.mutate({
      name: 'trial',
      remainQuota: 10,
      expiryMode: 'first_use',
      durationSeconds: 60,
    });
    await setColumns(trial.id, { firstUsedTime: nowSeconds() - 120, status: 3 });
    await expect(user.api.token.update.mutate({ id: trial.id, status: 1 })).rejects.toThrow(
      /^status: .*durationSeconds/,
    );
    expect(
      await user.api.token.update.mutate({ id: trial.id, status: 1, durationSeconds: 3600 }),
    ).toMatchObject({ status: 1 });

    const empty = await user.api.token.create.mutate({ name: 'empty', remainQuota: 0 });
    // As the proxy leaves it when the quota runs out.
    await setColumns(empty.id, { status: 4 });
    await expect(user.api.token.update.mutate({ id: empty.id, status: 1 })).rejects.toThrow(
      /^status: .*remainQuota/,
    );
    // Raising the quota alone does not re-enable it; the owner decides.
    expect(await user.api.token.update.mutate({ id: empty.id, remainQuota: 500 })).toMatchObject({
      status: 4,
    });
    expect(await user.api.token.update.mutate({ id: empty.id, status: 1 })).toMatchObject({
      status: 1,
      remainQuota: 500,
    });
  });

  it('lets common users use only their own group, admins any', async () => {
    const user = await signedInUser(server, { group: 'default' });
    const admin = await signedInUser(server, { role: 10 });
    const { id } = await user.api.token.create.mutate({ name: 'g', group: 'default' });
    await expect(user.api.token.update.mutate({ id, group: 'vip' })).rejects.toThrow(/^group: /);
    expect(await user.api.token.update.mutate({ id, group: '' })).toMatchObject({ group: '' });
    const adminToken = await admin.api.token.create.mutate({ name: 'g', group: 'vip' });
    expect(await admin.api.token.get.query({ id: adminToken.id })).toMatchObject({ group: 'vip' });
  });

  it("stores a key's rate limits; a common user's key may be stricter than the account's, not looser", async () => {
    const root = await signedInUser(server, { role: 100 });
    const user = await signedInUser(server);
    const limits = { rpmLimit: 60, tpmLimit: 100_000, concurrencyLimit: 4 };
    const { id } = await user.api.token.create.mutate({ name: 'limited', ...limits });
    expect(await user.api.token.get.query({ id })).toMatchObject(limits);

    await root.api.user.update.mutate({ id: user.user.id, rpmLimit: 30 });
    expect(await root.api.user.get.query({ id: user.user.id })).toMatchObject({ rpmLimit: 30 });
    // An administrator's own defaults are root's to set.
    const admin = await signedInUser(server, { role: 10 });
    expect(await errorCode(admin.api.user.update.mutate({ id: admin.user.id, rpmLimit: 0 }))).toBe(
      undefined,
    );
    expect(await errorCode(admin.api.user.update.mutate({ id: admin.user.id, rpmLimit: 5 }))).toBe(
      'FORBIDDEN',
    );
    await expect(user.api.token.update.mutate({ id, rpmLimit: 31 })).rejects.toThrow(
      /^rpmLimit: at most your account's limit of 30/,
    );
    await expect(user.api.token.create.mutate({ name: 'loose', rpmLimit: 100 })).rejects.toThrow(
      /^rpmLimit: /,
    );
    // 0 takes the account's limit; a stricter one is the user's to choose.
    expect(await user.api.token.update.mutate({ id, rpmLimit: 0 })).toMatchObject({ rpmLimit: 0 });
    expect(await user.api.token.update.mutate({ id, rpmLimit: 10 })).toMatchObject({
      rpmLimit: 10,
    });

    for (const bad of [-1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER + 2]) {
      expect(await errorCode(user.api.token.update.mutate({ id, tpmLimit: bad }))).toBe(
        'BAD_REQUEST',
      );
    }
    expect(await user.api.token.get.query({ id })).toMatchObject({ tpmLimit: 100_000 });
  });

  it('deletes a token so that its key stops working', async () => {
    const user = await signedInUser(server);
    const { id, key } = await user.api.token.create.mutate({ name: 'gone' });
    expect(await user.api.token.delete.mutate({ id })).toEqual({ ok: true });
    expect(await server.db.repos.tokens.findByKey(key)).toBeNull();
    expect(await errorCode(user.api.token.get.query({ id }))).toBe('NOT_FOUND');
    expect(await errorCode(user.api.token.delete.mutate({ id }))).toBe('NOT_FOUND');
  });
});
