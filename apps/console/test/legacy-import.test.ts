import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLegacyDatabase, LEGACY_PASSWORDS, type LegacyFixture } from '@chat-api/db/testing';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

/** Root imports a One API database from the console; its users sign in with their passwords. */
describe('importing a One API database from the console', () => {
  let server: TestConsole;
  let fixture: LegacyFixture;
  let root: Awaited<ReturnType<typeof signedInUser>>;
  const count = () => server.db.models.User.count();

  beforeAll(async () => {
    fixture = await buildLegacyDatabase('one-api', 'sqlite');
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
  });
  afterAll(async () => {
    await server?.close();
    await fixture?.drop();
  });

  it('reports a dry run and changes nothing', async () => {
    const users = await count();
    const { report, text } = await root.api.legacyImport.run.mutate({ from: fixture.source });
    expect(report).toMatchObject({ dryRun: true, source: { project: 'one-api' } });
    expect(report.tables.users.imported).toBeGreaterThan(0);
    expect(text).toMatch(/^Dry run: nothing was written/);
    expect(await count()).toBe(users);
    expect(await server.db.repos.users.findByUsername('alice')).toBeNull();
  });

  it('imports, and a user signs in with the password they had (bcrypt, then rehashed)', async () => {
    const { report } = await root.api.legacyImport.run.mutate({
      from: fixture.source,
      dryRun: false,
    });
    expect(report.dryRun).toBe(false);
    const alice = client(server.base);
    await alice.api.auth.login.mutate({ username: 'alice', password: LEGACY_PASSWORDS.alice });
    expect(await alice.api.auth.me.query()).toMatchObject({ username: 'alice' });
    const stored = await server.db.models.User.findOne({ where: { username: 'alice' } });
    expect(stored!.password).toMatch(/^scrypt\$/);
    expect(
      await errorCode(
        client(server.base).api.auth.login.mutate({ username: 'alice', password: 'guess-1234' }),
      ),
    ).toBe('UNAUTHORIZED');

    // Again: nothing twice.
    const users = await count();
    const again = await root.api.legacyImport.run.mutate({ from: fixture.source, dryRun: false });
    expect(again.report.tables.users.imported).toBe(0);
    expect(await count()).toBe(users);
  });

  it('says why a source cannot be imported', async () => {
    await expect(
      root.api.legacyImport.run.mutate({ from: '/nonexistent/one-api.db', dryRun: false }),
    ).rejects.toThrow(/one-api\.db/);
  });
});
