import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType } from '@chat-api/db';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

describe('registration', () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
  });
  afterAll(() => server?.close());

  it('creates a common user with QuotaForNewUser, who can then sign in', async () => {
    await root.api.option.update.mutate({ values: { QuotaForNewUser: '5000' } });
    const visitor = client(server.base);
    await visitor.api.auth.register.mutate({ username: '小明', password: 'password-123' });
    const me = await visitor.api.auth.login.mutate({ username: '小明', password: 'password-123' });
    expect(me).toMatchObject({ role: 1, quota: 5000, mustChangePassword: false });
  });

  it('rewards invitations on both sides and logs them', async () => {
    await root.api.option.update.mutate({
      values: { QuotaForNewUser: '100', QuotaForInviter: '700', QuotaForInvitee: '300' },
    });
    const inviter = await signedInUser(server, { quota: 0 });
    const { affCode } = await inviter.api.auth.me.query();
    const { id } = await client(server.base).api.auth.register.mutate({
      username: 'invited',
      password: 'password-123',
      affCode: affCode!,
    });
    expect(await server.db.repos.users.findById(id)).toMatchObject({
      quota: 400,
      inviterId: inviter.user.id,
    });
    expect((await inviter.api.auth.me.query()).quota).toBe(700);
    const logs = await server.db.repos.logs.list({
      userId: inviter.user.id,
      type: LogType.system,
      page: 1,
      pageSize: 5,
    });
    expect(logs.items[0]?.content).toContain('invited');
  });

  it('refuses a taken username and closed registration', async () => {
    expect(
      await errorCode(
        client(server.base).api.auth.register.mutate({
          username: 'invited',
          password: 'password-123',
        }),
      ),
    ).toBe('CONFLICT');
    await root.api.option.update.mutate({ values: { RegisterEnabled: 'false' } });
    expect(
      await errorCode(
        client(server.base).api.auth.register.mutate({
          username: 'late',
          password: 'password-123',
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(await server.db.repos.users.findByUsername('late')).toBeNull();
  });
});
