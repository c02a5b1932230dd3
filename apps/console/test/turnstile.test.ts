import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

const SECRET = '0x4AAAAAAAturnstile-secret';
const GOOD = 'token-solved-by-a-person';

/**
 * Cloudflare's siteverify as documented: a form POST of secret, response and remoteip, answered
 * with {success, error-codes}. Each token is good once; `down` makes it answer 500.
 */
async function startSiteverify() {
  const received: URLSearchParams[] = [];
  const used = new Set<string>();
  let down = false;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      received.push(form);
      if (down) {
        response.writeHead(500).end('upstream trouble');
        return;
      }
      const token = form.get('response') ?? '';
      const success = form.get('secret') === SECRET && token.startsWith(GOOD) && !used.has(token);
      if (success) used.add(token);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          success,
          'error-codes': success ? [] : ['invalid-input-response'],
          hostname: 'console.example.com',
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/turnstile/v0/siteverify`,
    received,
    setDown: (value: boolean) => void (down = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Cloudflare Turnstile on sign-up, sign-in and password reset', () => {
  let server: TestConsole;
  let siteverify: Awaited<ReturnType<typeof startSiteverify>>;
  let root: Awaited<ReturnType<typeof signedInUser>>;
  let member: Awaited<ReturnType<typeof signedInUser>>;
  let tokens = 0;
  const fresh = () => `${GOOD}-${++tokens}`;

  beforeAll(async () => {
    siteverify = await startSiteverify();
    server = await startConsole({ build: { turnstileVerifyUrl: siteverify.url } });
    root = await signedInUser(server, { role: 100 });
    member = await signedInUser(server);
  });
  afterAll(async () => {
    await server?.close();
    await siteverify?.close();
  });

  it('asks for nothing while it is off', async () => {
    expect((await client(server.base).api.option.status.query()).turnstileSiteKey).toBe('');
    await client(server.base).api.auth.login.mutate({
      username: member.user.username,
      password: member.password,
    });
    expect(siteverify.received).toHaveLength(0);
  });

  it('publishes the site key, masks the secret, and then requires a verified token', async () => {
    await root.api.option.update.mutate({
      values: {
        TurnstileCheckEnabled: 'true',
        TurnstileSiteKey: '0x4AAAAAAAsite-key',
        TurnstileSecretKey: SECRET,
      },
    });
    expect((await client(server.base).api.option.status.query()).turnstileSiteKey).toBe(
      '0x4AAAAAAAsite-key',
    );
    const listed = await root.api.option.list.query();
    expect(listed.TurnstileSiteKey).toBe('0x4AAAAAAAsite-key');
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const credentials = { username: member.user.username, password: member.password };
    const visitor = client(server.base);
    expect(await errorCode(visitor.api.auth.login.mutate(credentials))).toBe('BAD_REQUEST');
    expect(
      await errorCode(visitor.api.auth.login.mutate({ ...credentials, turnstileToken: 'forged' })),
    ).toBe('BAD_REQUEST');
    const token = fresh();
    await visitor.api.auth.login.mutate({ ...credentials, turnstileToken: token });
    // Checked server-side with the secret and the client's address.
    expect(siteverify.received.at(-1)).toEqual(
      new URLSearchParams({ secret: SECRET, response: token, remoteip: '127.0.0.1' }),
    );
    // A token works once.
    expect(
      await errorCode(
        client(server.base).api.auth.login.mutate({ ...credentials, turnstileToken: token }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('guards sign-up and password reset requests the same way', async () => {
    const visitor = client(server.base);
    const account = { username: 'turnstile_new', password: 'password-123' };
    expect(await errorCode(visitor.api.auth.register.mutate(account))).toBe('BAD_REQUEST');
    expect(await server.db.repos.users.findByUsername('turnstile_new')).toBeNull();
    await visitor.api.auth.register.mutate({ ...account, turnstileToken: fresh() });
    expect(await server.db.repos.users.findByUsername('turnstile_new')).not.toBeNull();

    // Reset needs mail and a public address too; the check comes first either way.
    const withMail = await startConsole({
      build: { turnstileVerifyUrl: siteverify.url, publicUrl: 'https://console.example.com' },
    });
    try {
      const admin = await signedInUser(withMail, { role: 100 });
      await admin.api.option.update.mutate({
        values: {
          TurnstileCheckEnabled: 'true',
          TurnstileSiteKey: 'site',
          TurnstileSecretKey: SECRET,
          SMTPServer: '127.0.0.1',
          SMTPPort: '9',
        },
      });
      const reset = client(withMail.base).api.auth.requestPasswordReset;
      expect(await errorCode(reset.mutate({ email: 'a@example.com' }))).toBe('BAD_REQUEST');
      expect(await reset.mutate({ email: 'a@example.com', turnstileToken: fresh() })).toEqual({
        ok: true,
      });
    } finally {
      await withMail.close();
    }
  });

  it('refuses when siteverify cannot answer, rather than letting everyone through', async () => {
    siteverify.setDown(true);
    try {
      const attempt = client(server.base).api.auth.login.mutate({
        username: member.user.username,
        password: member.password,
        turnstileToken: fresh(),
      });
      await expect(attempt).rejects.toThrow(/check failed/);
    } finally {
      siteverify.setDown(false);
    }
  });
});
