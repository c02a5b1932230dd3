import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/server/router.js';
import { signedInUser, startConsole, type TestConsole } from './helpers.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const UPSTREAM_KEY = 'sk-upstream-TOP-SECRET-0123456789abcdef';

type Procedures = Record<string, { _def: { type: string } }>;
const procedures = (appRouter._def as unknown as { procedures: Procedures }).procedures;

describe('no response carries a secret', () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;
  const secrets: string[] = [UPSTREAM_KEY, 'scrypt$'];
  const inputs: Record<string, unknown> = {};
  const responses: string[] = [];

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
    const { accessToken } = await root.api.auth.createAccessToken.mutate();
    secrets.push(accessToken, sha256(accessToken));

    const channel = await root.api.channel.create.mutate({
      name: 'secret channel',
      type: 'openai',
      key: UPSTREAM_KEY,
      models: ['gpt-4o-mini'],
    });
    responses.push(JSON.stringify(channel));
    responses.push(
      JSON.stringify(await root.api.channel.update.mutate({ id: channel.id, priority: 3 })),
    );

    const token = await root.api.token.create.mutate({ name: 'secret token', remainQuota: 1000 });
    secrets.push(token.key, sha256(token.key));
    responses.push(
      JSON.stringify(await root.api.token.update.mutate({ id: token.id, name: 'renamed' })),
    );

    const { keys } = await root.api.redemption.create.mutate({
      name: 'codes',
      quota: 100,
      count: 2,
    });
    for (const code of keys) secrets.push(code, sha256(code));
    await root.api.redemption.redeem.mutate({ key: keys[0]! });

    const { id: userId } = await root.api.user.create.mutate({
      username: 'someone',
      password: 'their-password',
    });
    secrets.push('their-password');
    responses.push(JSON.stringify(await root.api.user.update.mutate({ id: userId, quota: 5 })));

    Object.assign(inputs, {
      'user.get': { id: userId },
      'channel.get': { id: channel.id },
      'token.get': { id: token.id },
    });
  });
  afterAll(() => server?.close());

  it('in any query procedure, or in create/update answers', async () => {
    const queries = Object.entries(procedures).filter(
      ([, procedure]) => procedure._def.type === 'query',
    );
    expect(queries.length).toBeGreaterThanOrEqual(12);
    for (const [path] of queries) {
      const input = encodeURIComponent(JSON.stringify(inputs[path] ?? {}));
      const response = await fetch(`${server.base}/trpc/${path}?input=${input}`, {
        headers: { cookie: [...root.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      const body = await response.text();
      expect(response.status, `${path}: ${body}`).toBe(200);
      responses.push(body);
    }
    for (const body of responses) {
      for (const secret of secrets) expect(body).not.toContain(secret);
    }
  });
});
