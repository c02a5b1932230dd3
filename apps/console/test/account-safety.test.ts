import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

/** A raw tRPC call, as a script, a browser form or another site would make it. */
async function post(
  server: TestConsole,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.base}/trpc/${path}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

describe('console accounts under attack', () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;
  let admin: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
    admin = await signedInUser(server, { role: 10 });
  });
  afterAll(() => server?.close());

  it('an admin cannot raise their own quota, group or password without root (or the old password)', async () => {
    for (const change of [
      { quota: 1e12 },
      { addQuota: 1e9 },
      { group: 'vip' },
      { password: 'taken-over-123' },
    ]) {
      expect(await errorCode(admin.api.user.update.mutate({ id: admin.user.id, ...change }))).toBe(
        'FORBIDDEN',
      );
    }
    const after = await server.db.repos.users.findById(admin.user.id);
    expect(after).toMatchObject({ quota: admin.user.quota, group: admin.user.group });
    // Their display name is theirs; root may change the rest.
    await admin.api.user.update.mutate({ id: admin.user.id, displayName: 'Ada' });
    await root.api.user.update.mutate({ id: admin.user.id, quota: 500 });
    expect((await server.db.repos.users.findById(admin.user.id))?.quota).toBe(500);
  });

  it("an admin cannot point a channel's stored key at another address without entering it", async () => {
    const { id } = await root.api.channel.create.mutate({
      name: 'root channel',
      type: 'openai',
      key: 'sk-root-secret-0123456789',
      baseUrl: 'https://api.openai.com',
      models: ['gpt-4o-mini'],
    });
    expect(
      await errorCode(admin.api.channel.update.mutate({ id, baseUrl: 'https://attacker.example' })),
    ).toBe('FORBIDDEN');
    expect(
      await errorCode(admin.api.channel.update.mutate({ id, type: 'openai-compatible' })),
    ).toBe('FORBIDDEN');
    expect((await server.db.repos.channels.get(id))?.baseUrl).toBe('https://api.openai.com');
    // Unchanged address, other edits: fine. With the key entered again, or as root: fine.
    await admin.api.channel.update.mutate({ id, baseUrl: 'https://api.openai.com', priority: 3 });
    await admin.api.channel.update.mutate({
      id,
      baseUrl: 'https://proxy.example',
      key: 'sk-admin-own-key-0123456789',
    });
    await root.api.channel.update.mutate({ id, baseUrl: 'https://api.openai.com' });
  });

  it('a new password ends the access token for scripts too', async () => {
    const user = await signedInUser(server);
    const { accessToken } = await user.api.auth.createAccessToken.mutate();
    const script = client(server.base, { bearer: accessToken });
    expect((await script.api.auth.me.query()).id).toBe(user.user.id);
    await user.api.auth.changePassword.mutate({
      oldPassword: user.password,
      newPassword: 'another-password-456',
    });
    expect(await errorCode(script.api.auth.me.query())).toBe('UNAUTHORIZED');

    const { accessToken: second } = await user.api.auth.createAccessToken.mutate();
    await admin.api.user.update.mutate({ id: user.user.id, password: 'reset-by-admin-789' });
    expect(await errorCode(client(server.base, { bearer: second }).api.auth.me.query())).toBe(
      'UNAUTHORIZED',
    );
  });

  it('refuses mutations another site makes a signed-in browser send', async () => {
    const cookie = [...root.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const foreign = await post(server, 'auth.createAccessToken', '{}', {
      cookie,
      'content-type': 'application/json',
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    const form = await post(server, 'auth.logout', '', {
      cookie,
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(form.status).toBe(403);
    const plain = await post(server, 'auth.logout', '{}', { cookie, 'content-type': 'text/plain' });
    expect(plain.status).toBe(403);
    // Still signed in: none of them got through.
    expect((await root.api.auth.me.query()).id).toBe(root.user.id);
    // The console's own page, and scripts with a bearer token, are served.
    const own = await post(server, 'auth.me', '{}', {
      cookie,
      'content-type': 'application/json',
      origin: server.base,
    });
    expect(own.status).not.toBe(403);
  });

  it('wrong passwords from one address do not lock the owner out of another', async () => {
    const limited = await startConsole({
      limits: { apiPer3Minutes: 1e6, webPer3Minutes: 1e6, authAttemptsPerMinute: 4 },
    });
    try {
      const owner = { username: 'owner', password: 'password-123' };
      await limited.db.repos.users.create(owner);
      const login = (password: string, ip: string) =>
        post(limited, 'auth.login', JSON.stringify({ username: owner.username, password }), {
          'content-type': 'application/json',
          'x-forwarded-for': ip,
        });
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(`guess-${i}`, '203.0.113.7')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      expect((await login(owner.password, '198.51.100.20')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('answers errors without stack traces or file paths', async () => {
    const response = await post(server, 'user.delete', JSON.stringify({ id: 1 }), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(401);
    expect(response.text).not.toMatch(/stack|\.ts:|\/src\//);
  });
});
