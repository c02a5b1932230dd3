import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/server/router.js';
import { client, signedInUser, startConsole, type TestConsole } from './helpers.js';

/**
 * The minimum caller of every procedure. A procedure added without a line here fails the suite:
 * each one needs a deliberate role decision.
 */
const MINIMUM = {
  'auth.login': 'anyone',
  'auth.register': 'anyone',
  'auth.logout': 'signed-in',
  'auth.me': 'signed-in',
  'auth.changePassword': 'signed-in',
  'auth.createAccessToken': 'user',
  'auth.sendVerificationCode': 'anyone',
  'auth.requestPasswordReset': 'anyone',
  'auth.resetPassword': 'anyone',
  'identity.providers': 'anyone',
  'identity.list': 'user',
  'identity.unbind': 'user',
  'topUp.options': 'user',
  'topUp.create': 'user',
  'topUp.list': 'user',
  'legacyImport.run': 'root',
  'user.list': 'admin',
  'user.get': 'admin',
  'user.create': 'admin',
  'user.update': 'admin',
  'user.delete': 'admin',
  'channel.types': 'admin',
  'channel.list': 'admin',
  'channel.get': 'admin',
  'channel.create': 'admin',
  'channel.update': 'admin',
  'channel.delete': 'admin',
  'channel.test': 'admin',
  'channel.updateBalance': 'admin',
  'channel.groups': 'admin',
  'channel.jobs': 'admin',
  'token.list': 'user',
  'token.get': 'user',
  'token.create': 'user',
  'token.update': 'user',
  'token.delete': 'user',
  'token.regenerateKey': 'user',
  'redemption.create': 'admin',
  'redemption.list': 'admin',
  'redemption.update': 'admin',
  'redemption.delete': 'admin',
  'redemption.redeem': 'user',
  'log.list': 'user',
  'log.stats': 'user',
  'log.deleteBefore': 'root',
  'option.status': 'anyone',
  'option.list': 'root',
  'option.update': 'root',
  'option.testEmail': 'root',
  'dashboard.usage': 'user',
} as const;

/** Callers from weakest to strongest; "signed-in" is root still holding the default password. */
const LEVELS = ['anyone', 'signed-in', 'user', 'admin', 'root'] as const;
type Level = (typeof LEVELS)[number];

type Procedures = Record<string, { _def: { type: 'query' | 'mutation' | 'subscription' } }>;
const procedures = (appRouter._def as unknown as { procedures: Procedures }).procedures;

describe('every console procedure checks the caller', () => {
  let server: TestConsole;
  const cookies = new Map<Level, string>();

  beforeAll(async () => {
    server = await startConsole();
    const defaultRoot = client(server.base);
    await defaultRoot.api.auth.login.mutate({ username: 'root', password: '123456' });
    cookies.set('anyone', '');
    cookies.set('signed-in', cookieOf(defaultRoot.jar));
    for (const [level, role] of [
      ['user', 1],
      ['admin', 10],
      ['root', 100],
    ] as const) {
      cookies.set(level, cookieOf((await signedInUser(server, { role })).jar));
    }
  });
  afterAll(() => server?.close());

  const cookieOf = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

  /** Calls a procedure over plain HTTP with an empty input; returns the tRPC error code, if any. */
  async function call(path: string, level: Level): Promise<string | undefined> {
    const type = procedures[path]!._def.type;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const cookie = cookies.get(level);
    if (cookie) headers.cookie = cookie;
    const response =
      type === 'query'
        ? await fetch(`${server.base}/trpc/${path}?input=${encodeURIComponent('{}')}`, { headers })
        : await fetch(`${server.base}/trpc/${path}`, { method: 'POST', headers, body: '{}' });
    const body = (await response.json()) as { error?: { data?: { code?: string } } };
    return body.error?.data?.code;
  }

  it('has a role decision for each procedure, and no stale ones', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(MINIMUM).sort());
  });

  // auth.logout ends the sessions the other checks use, so it goes last.
  const checks = Object.entries(MINIMUM).sort(
    ([a], [b]) => Number(a === 'auth.logout') - Number(b === 'auth.logout'),
  );

  it.each(checks)('%s needs at least: %s', async (path, minimum) => {
    const required = LEVELS.indexOf(minimum);
    for (const [index, level] of LEVELS.entries()) {
      const code = await call(path, level);
      if (index < required) {
        expect(code, `${path} as ${level}`).toBe(level === 'anyone' ? 'UNAUTHORIZED' : 'FORBIDDEN');
      } else {
        expect(['UNAUTHORIZED', 'FORBIDDEN'], `${path} as ${level}`).not.toContain(code);
      }
    }
  });
});
