import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, signedInUser, startConsole, type TestConsole } from './helpers.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;

/** A raw request, as a script, a browser form or another site would make it. */
async function post(
  server: TestConsole,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.base}${path}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

const cookieOf = (user: Signed) => [...user.jar].map(([k, v]) => `${k}=${v}`).join('; ');

describe('requests another site makes a signed-in browser send', () => {
  let server: TestConsole;
  let user: Signed;
  let accessToken: string;

  beforeAll(async () => {
    server = await startConsole();
    user = await signedInUser(server);
    ({ accessToken } = await user.api.auth.createAccessToken.mutate());
  });
  afterAll(() => server?.close());

  /** Signed in, and the access token its scripts use still the same. */
  async function unharmed() {
    expect((await user.api.auth.me.query()).id).toBe(user.user.id);
    const script = client(server.base, { bearer: accessToken });
    expect((await script.api.auth.me.query()).id).toBe(user.user.id);
  }

  it('are refused with 403 when they come from another origin, even as JSON', async () => {
    const json = { cookie: cookieOf(user), 'content-type': 'application/json' };
    const origins: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { referer: 'https://evil.example/page.html' },
      // Same host, another port: another origin.
      { origin: 'http://127.0.0.1:1' },
    ];
    for (const from of origins) {
      for (const path of ['/trpc/auth.createAccessToken', '/trpc/auth.logout']) {
        const answer = await post(server, path, '{}', { ...json, ...from });
        expect({ from, path, ...answer }).toEqual({
          from,
          path,
          status: 403,
          text: JSON.stringify({
            error: { message: 'Requests from other sites are refused.', code: 'FORBIDDEN' },
          }),
        });
      }
    }
    await unharmed();
  });

  it('are refused with 403 when they are forms or plain text, which need no preflight', async () => {
    const forms = [
      ['multipart/form-data; boundary=x', '--x--\r\n'],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['text/plain', '{}'],
    ];
    // The last path reaches tRPC too: the router decodes %74 to t.
    for (const path of [
      '/trpc/auth.logout',
      '/trpc/auth.createAccessToken',
      '/%74rpc/auth.logout',
    ]) {
      for (const [type, body] of forms) {
        const answer = await post(server, path, body!, {
          cookie: cookieOf(user),
          'content-type': type!,
        });
        expect({ path, type, status: answer.status, text: answer.text }).toEqual({
          path,
          type,
          status: 403,
          text: expect.stringContaining('must be JSON (content-type: application/json)') as string,
        });
      }
    }
    await unharmed();
  });

  it("are served from the console's own page, and scripts with an access token are not asked", async () => {
    const own = await post(server, '/trpc/token.create', JSON.stringify({ name: 'from page' }), {
      cookie: cookieOf(user),
      'content-type': 'application/json',
      origin: server.base,
      referer: `${server.base}/keys`,
    });
    expect(own.status).toBe(200);
    const script = await post(server, '/trpc/token.create', JSON.stringify({ name: 'script' }), {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      origin: 'https://ci.example',
    });
    expect(script.status).toBe(200);
    expect((await user.api.token.list.query()).items.map((t) => t.name).sort()).toEqual([
      'from page',
      'script',
    ]);
  });
});

describe('wrong passwords', () => {
  let server: TestConsole;
  const owner = { username: 'owner', password: 'password-123' };

  beforeAll(async () => {
    server = await startConsole({
      limits: { apiPer3Minutes: 1e6, webPer3Minutes: 1e6, authAttemptsPerMinute: 4 },
    });
    await server.db.repos.users.create(owner);
  });
  afterAll(() => server?.close());

  const login = (username: string, password: string, ip: string) =>
    post(server, '/trpc/auth.login', JSON.stringify({ username, password }), {
      'content-type': 'application/json',
      'x-forwarded-for': ip,
    });

  it('from one address do not lock the owner out from another', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login(owner.username, `guess-${i}`, '203.0.113.7')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await login(owner.username, owner.password, '198.51.100.20')).status).toBe(200);
  });

  it('from one address are limited across every username it tries', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login(`someone${i}`, 'guess', '203.0.113.99')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await login(owner.username, owner.password, '203.0.113.99')).status).toBe(429);
  });
});

describe('error answers', () => {
  let server: TestConsole;

  beforeAll(async () => {
    server = await startConsole();
  });
  afterAll(() => server?.close());

  it('carry no stack trace or file path', async () => {
    const user = await signedInUser(server);
    const cookie = cookieOf(user);
    const json = { 'content-type': 'application/json' };
    const answers = [
      // Not signed in, invalid input, not found, a malformed body.
      await post(server, '/trpc/user.delete', JSON.stringify({ id: 1 }), json),
      await post(server, '/trpc/token.create', JSON.stringify({ name: '' }), { ...json, cookie }),
      await post(server, '/trpc/token.delete', JSON.stringify({ id: 999 }), { ...json, cookie }),
      await post(server, '/trpc/token.create', '{"name":', { ...json, cookie }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 400, 404, 400]);
    for (const answer of answers) {
      expect(JSON.parse(answer.text)).not.toHaveProperty('error.data.stack');
      expect(answer.text).not.toMatch(/stack|\.ts:|\/src\/|node_modules/);
    }
  });
});
