import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/backends.js';
import { buildOneApiDatabase, type LegacyFixture } from '../src/testing/legacy-fixtures/index.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/import.ts', import.meta.url));

/** `npm run import -- --from …`: the report on stdout, or one line on stderr and a failing exit. */
describe('the import command', () => {
  let fixture: LegacyFixture;
  let target: TestDatabase;
  beforeAll(async () => {
    fixture = await buildOneApiDatabase('sqlite');
    target = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await fixture?.drop();
    await target?.drop();
  });

  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, ...target.env },
    });

  it('prints the report of a dry run, then of the import', async () => {
    const dry = await cli('--from', fixture.source, '--dry-run');
    expect(dry.stdout).toMatch(/^Dry run: nothing was written\. Import from One API v0\.6/m);
    expect(dry.stdout).toMatch(/^tokens\s+7\s+7\s+0$/m);
    expect(dry.stdout).toMatch(/^logs\s+not imported \(add --logs\)$/m);
    const real = await cli('--from', fixture.source, '--logs');
    expect(real.stdout).toMatch(/^Import from One API/m);
    expect(real.stdout).toMatch(/^logs\s+3\s+3\s+0$/m);
    expect(real.stdout).toMatch(/WeChatServerAddress: not a setting of this gateway/);
  });

  it('refuses bad input with one line and a failing exit', async () => {
    const missing = await cli('--from', '/nonexistent/one-api.db').catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 1 });
    const stderr = (missing as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^--from: \/nonexistent\/one-api\.db is neither a DSN/);

    const noFrom = await cli().catch((error: unknown) => error);
    expect(noFrom).toMatchObject({ code: 2 });
    expect((noFrom as { stderr: string }).stderr).toMatch(
      /^--from is required\nusage: npm run import/,
    );
  });
});
