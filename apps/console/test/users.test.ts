import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType } from '@chat-api/db';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

describe('user management', () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;
  let admin: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
    admin = await signedInUser(server, { role: 10 });
  });
  afterAll(() => server?.close());

  it('lets an admin create, find, page and sort users — never showing a password hash', async () => {
    for (const [name, quota] of [
      ['carol', 300],
      ['dave', 100],
      ['erin', 200],
    ] as const) {
      await admin.api.user.create.mutate({ username: name, password: 'password-123', quota });
    }
    const found = await admin.api.user.list.query({ keyword: 'ar' });
    expect(found.items.map((u) => u.username)).toEqual(['carol']);
    const byQuota = await admin.api.user.list.query({ sort: 'quota', pageSize: 100 });
    const quotas = byQuota.items.map((u) => u.quota);
    expect(quotas).toEqual([...quotas].sort((x, y) => y - x));
    expect(
      byQuota.items
        .filter((u) => ['carol', 'dave', 'erin'].includes(u.username))
        .map((u) => u.username),
    ).toEqual(['carol', 'erin', 'dave']);
    const firstPage = await admin.api.user.list.query({ pageSize: 2, page: 1 });
    const secondPage = await admin.api.user.list.query({ pageSize: 2, page: 2 });
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.total).toBe(byQuota.total);
    expect(secondPage.items[0]!.id).toBeGreaterThan(firstPage.items[1]!.id);
    expect(JSON.stringify(await admin.api.user.list.query())).not.toMatch(
      /scrypt|password|accessTokenHash/,
    );
  });

  it('refuses a taken username with CONFLICT', async () => {
    expect(
      await errorCode(
        admin.api.user.create.mutate({ username: 'carol', password: 'password-123' }),
      ),
    ).toBe('CONFLICT');
  });

  it('adjusts quota and logs the change for the user', async () => {
    const { id } = await admin.api.user.create.mutate({
      username: 'frank',
      password: 'password-123',
      quota: 1000,
    });
    await admin.api.user.update.mutate({ id, addQuota: 500 });
    expect((await admin.api.user.get.query({ id })).quota).toBe(1500);
    await admin.api.user.update.mutate({ id, addQuota: -200 });
    await admin.api.user.update.mutate({ id, quota: 50 });
    expect((await admin.api.user.get.query({ id })).quota).toBe(50);
    const logs = await server.db.repos.logs.list({
      userId: id,
      type: LogType.manage,
      page: 1,
      pageSize: 10,
    });
    expect(logs.items.map((log) => log.quota)).toEqual([-1250, -200, 500]);
  });

  it('disabling a user ends their access; a new password ends their sessions', async () => {
    const user = await signedInUser(server);
    await admin.api.user.update.mutate({ id: user.user.id, status: 2 });
    expect(await errorCode(user.api.auth.me.query())).toBe('FORBIDDEN');
    expect(
      await errorCode(
        client(server.base).api.auth.login.mutate({
          username: user.user.username,
          password: user.password,
        }),
      ),
    ).toBe('FORBIDDEN');
    await admin.api.user.update.mutate({ id: user.user.id, status: 1, password: 'brand-new-pass' });
    expect(await errorCode(user.api.auth.me.query())).toBe('UNAUTHORIZED');
    await client(server.base).api.auth.login.mutate({
      username: user.user.username,
      password: 'brand-new-pass',
    });
  });

  it('keeps admins to users below them and root above everyone', async () => {
    const otherAdmin = await signedInUser(server, { role: 10 });
    expect(
      await errorCode(admin.api.user.update.mutate({ id: otherAdmin.user.id, quota: 1 })),
    ).toBe('FORBIDDEN');
    expect(await errorCode(admin.api.user.delete.mutate({ id: otherAdmin.user.id }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await errorCode(
        admin.api.user.create.mutate({ username: 'newadmin', password: 'password-123', role: 10 }),
      ),
    ).toBe('FORBIDDEN');
    const common = await signedInUser(server);
    expect(await errorCode(admin.api.user.update.mutate({ id: common.user.id, role: 10 }))).toBe(
      'FORBIDDEN',
    );
    await root.api.user.update.mutate({ id: common.user.id, role: 10 });
    expect((await common.api.auth.me.query()).role).toBe(10);

    expect(await errorCode(root.api.user.update.mutate({ id: root.user.id, role: 10 }))).toBe(
      'FORBIDDEN',
    );
    expect(await errorCode(root.api.user.update.mutate({ id: root.user.id, status: 2 }))).toBe(
      'FORBIDDEN',
    );
    expect(await errorCode(root.api.user.delete.mutate({ id: root.user.id }))).toBe('FORBIDDEN');
  });

  it('deleting a user deletes their API keys too', async () => {
    const user = await signedInUser(server);
    const { key } = await server.db.repos.tokens.create(user.user.id, { name: 'k' });
    await admin.api.user.delete.mutate({ id: user.user.id });
    expect(await server.db.repos.tokens.findByKey(key)).toBeNull();
    expect(await errorCode(user.api.auth.me.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(admin.api.user.get.query({ id: user.user.id }))).toBe('NOT_FOUND');
  });

  it('names the invalid field and writes nothing', async () => {
    const before = await server.db.models.User.count();
    for (const [input, field] of [
      [{ username: 'x'.repeat(40), password: 'password-123' }, 'username'],
      [{ username: 'ok_name', password: 'short' }, 'password'],
      [{ username: 'ok_name', password: 'password-123', quota: -5 }, 'quota'],
      [{ username: 'bad name!', password: 'password-123' }, 'username'],
    ] as const) {
      await expect(admin.api.user.create.mutate(input)).rejects.toThrow(new RegExp(`^${field}: `));
    }
    expect(await server.db.models.User.count()).toBe(before);
  });
});
