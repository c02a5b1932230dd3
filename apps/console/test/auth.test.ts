import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { client, errorCode, startConsole, type TestConsole } from './helpers.js';

describe('console auth', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole();
  });
  afterAll(() => server?.close());

  it('serves the console page at /, /admin and any history-mode route', async () => {
    for (const path of ['/', '/admin', '/admin/channels', '/login']) {
      const response = await fetch(server.base + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<div id="app">');
    }
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const { api } = client(server.base);
    expect(await errorCode(api.auth.login.mutate({ username: 'root', password: 'wrong' }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await errorCode(api.auth.login.mutate({ username: 'nobody', password: '123456' }))).toBe(
      'UNAUTHORIZED',
    );
    expect(await errorCode(api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('makes root change the default password before anything else', async () => {
    const browser = client(server.base);
    const other = client(server.base);
    const me = await browser.api.auth.login.mutate({ username: 'root', password: '123456' });
    expect(me).toMatchObject({ username: 'root', role: 100, mustChangePassword: true });
    expect(me).not.toHaveProperty('password');
    await other.api.auth.login.mutate({ username: 'root', password: '123456' });

    expect(await browser.api.auth.me.query()).toMatchObject({
      role: 100,
      mustChangePassword: true,
    });
    expect(await errorCode(browser.api.auth.createAccessToken.mutate())).toBe('FORBIDDEN');

    const tooShort = browser.api.auth.changePassword.mutate({
      oldPassword: '123456',
      newPassword: 'short',
    });
    await expect(tooShort).rejects.toThrow(/^newPassword: /);
    expect(
      await errorCode(
        browser.api.auth.changePassword.mutate({
          oldPassword: 'nope',
          newPassword: 'a-long-password',
        }),
      ),
    ).toBe('BAD_REQUEST');

    await browser.api.auth.changePassword.mutate({
      oldPassword: '123456',
      newPassword: 'a-long-password',
    });
    expect(await browser.api.auth.me.query()).toMatchObject({ mustChangePassword: false });
    // The password change ended the other session, not this one.
    expect(await errorCode(other.api.auth.me.query())).toBe('UNAUTHORIZED');
    expect(
      await errorCode(
        client(server.base).api.auth.login.mutate({ username: 'root', password: '123456' }),
      ),
    ).toBe('UNAUTHORIZED');
  });

  it('sets an httpOnly SameSite=Lax session cookie and ends it on logout', async () => {
    const response = await fetch(`${server.base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'root', password: 'a-long-password' }),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^chat_api_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const browser = client(server.base);
    await browser.api.auth.login.mutate({ username: 'root', password: 'a-long-password' });
    const stolen = new Map(browser.jar);
    await browser.api.auth.logout.mutate();
    expect(await errorCode(browser.api.auth.me.query())).toBe('UNAUTHORIZED');
    // Replaying the old cookie does not work either: the session is gone on the server.
    const replay = client(server.base);
    for (const [k, v] of stolen) replay.jar.set(k, v);
    expect(await errorCode(replay.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('refuses a forged cookie', async () => {
    const forged = client(server.base);
    forged.jar.set('chat_api_session', 'made-up-session.with-a-bad-signature');
    expect(await errorCode(forged.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('issues access tokens for scripts, each revoking the one before', async () => {
    const browser = client(server.base);
    await browser.api.auth.login.mutate({ username: 'root', password: 'a-long-password' });
    const { accessToken: first } = await browser.api.auth.createAccessToken.mutate();
    expect(await client(server.base, { bearer: first }).api.auth.me.query()).toMatchObject({
      username: 'root',
    });
    const { accessToken: second } = await browser.api.auth.createAccessToken.mutate();
    expect(await errorCode(client(server.base, { bearer: first }).api.auth.me.query())).toBe(
      'UNAUTHORIZED',
    );
    expect(await client(server.base, { bearer: second }).api.auth.me.query()).toMatchObject({
      role: 100,
    });
  });

  it('names the invalid field of a malformed input', async () => {
    const { api } = client(server.base);
    const error = await api.auth.login
      .mutate({ username: '', password: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).message).toMatch(/^username: /);
    expect((error as TRPCClientError<never>).data).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { username: expect.any(String) },
    });
  });
});
