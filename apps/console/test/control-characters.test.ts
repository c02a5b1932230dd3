import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseBackends } from '@chat-api/db/testing';
import { failure, signedInUser, startConsole, type TestConsole } from './helpers.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;

// A NUL ends SQLite's statement and PostgreSQL refuses it; ESC and DEL reach whoever reads the
// name in a terminal or a log. Each is refused where it enters, naming the field.
const HOSTILE = ['nul\u0000x', 'esc\u001b[31m', 'tab\tname', 'del\u007f'];

describe.each(databaseBackends())('control characters on $name', ({ name, skip }) => {
  const it = test.skipIf(Boolean(skip));
  let server: TestConsole;
  let root: Signed;
  let admin: Signed;
  let user: Signed;

  beforeAll(async () => {
    if (skip) return;
    server = await startConsole({ backend: name });
    root = await signedInUser(server, { role: 100 });
    admin = await signedInUser(server, { role: 10 });
    user = await signedInUser(server);
  });
  afterAll(() => server?.close());

  it('refuses them in every stored name with a validation error naming the field', async () => {
    const { id: tokenId } = await user.api.token.create.mutate({ name: 'plain' });
    const { id: channelId } = await admin.api.channel.create.mutate({
      name: 'plain',
      type: 'openai',
      key: 'sk-0123456789',
      models: ['gpt-4o-mini'],
    });
    const channel = { type: 'openai' as const, key: 'sk-0123456789', models: ['gpt-4o-mini'] };
    for (const bad of HOSTILE) {
      const attempts: [string, () => Promise<unknown>][] = [
        ['name', () => user.api.token.create.mutate({ name: bad })],
        ['name', () => user.api.token.update.mutate({ id: tokenId, name: bad })],
        ['models.0', () => user.api.token.update.mutate({ id: tokenId, models: [bad] })],
        ['name', () => admin.api.channel.create.mutate({ ...channel, name: bad })],
        [
          'models.0',
          () => admin.api.channel.create.mutate({ ...channel, name: 'c', models: [bad] }),
        ],
        ['groups.0', () => admin.api.channel.update.mutate({ id: channelId, groups: [bad] })],
        ['key', () => admin.api.channel.update.mutate({ id: channelId, key: bad })],
        ['name', () => admin.api.redemption.create.mutate({ name: bad, quota: 1, count: 1 })],
        ['displayName', () => admin.api.user.create.mutate({ ...newUser(), displayName: bad })],
        ['group', () => admin.api.user.create.mutate({ ...newUser(), group: bad })],
        ['username', () => admin.api.user.create.mutate({ ...newUser(), username: bad })],
        ['displayName', () => user.api.auth.register.mutate({ ...newUser(), displayName: bad })],
      ];
      for (const [field, attempt] of attempts) {
        const { code, message } = await failure(attempt());
        expect({ bad, code, message }).toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}: `)) as string,
        });
      }
    }
    // Group and model names in the ratio maps are names too.
    const groupRatio = await failure(
      root.api.option.update.mutate({ values: { GroupRatio: JSON.stringify({ 'v\u0000ip': 1 }) } }),
    );
    expect(groupRatio).toMatchObject({ code: 'BAD_REQUEST', message: /^GroupRatio: / });
    // Nothing of it was stored.
    expect((await user.api.token.get.query({ id: tokenId })).name).toBe('plain');
    expect((await admin.api.channel.get.query({ id: channelId })).groups).toEqual(['default']);
    expect((await admin.api.redemption.list.query()).items).toEqual([]);
  });

  it('answers a filter holding one with a 400-class error, never a 500 with the database message', async () => {
    for (const bad of HOSTILE) {
      const lookups: (() => Promise<unknown>)[] = [
        () => user.api.token.list.query({ keyword: bad }),
        () => user.api.log.list.query({ tokenName: bad }),
        () => user.api.log.list.query({ model: bad }),
        () => user.api.log.stats.query({ model: bad }),
        () => admin.api.log.list.query({ username: bad }),
        () => admin.api.user.list.query({ keyword: bad }),
        () => admin.api.channel.list.query({ keyword: bad }),
        () => admin.api.channel.list.query({ type: bad }),
        () => admin.api.redemption.list.query({ keyword: bad }),
        () => user.api.redemption.redeem.mutate({ key: bad }),
      ];
      for (const lookup of lookups) {
        const { code, message } = await failure(lookup());
        expect({ bad, code, message }).toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringContaining('control characters are not allowed') as string,
        });
      }
    }
  });
});

let created = 0;

/** Fields of a valid new account, so that only the field under test is wrong. */
function newUser() {
  return { username: `plain${++created}`, password: 'password-123' };
}
