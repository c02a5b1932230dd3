import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStorageConfig } from '../src/config.js';
import { createSequelize } from '../src/connect.js';
import type { Database } from '../src/database.js';
import { importLegacyDatabase } from '../src/legacy-import/index.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import {
  buildLegacyDatabase,
  LEGACY_CLIENT_KEYS,
  type LegacyFixture,
} from '../src/testing/legacy-fixtures/index.js';
import { openTestDatabase } from './helpers.js';

/**
 * A source database is not ours: a SQLite column holds whatever was written to it. Numbers past
 * what the target's columns take, text that is not a number, and NUL bytes (which PostgreSQL
 * refuses in text) must not stop the import or land as something else than a sane value.
 */
describe.each(databaseBackends().filter((backend) => !backend.skip))(
  'a One API database with hostile values, into $name',
  ({ name }) => {
    let fixture: LegacyFixture;
    let testDb: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      fixture = await buildLegacyDatabase('one-api', 'sqlite');
      const source = createSequelize(readStorageConfig(fixture.database.env).database);
      try {
        // SQLite keeps what it is given, whatever the column's declared type.
        await source.query(
          `UPDATE users SET quota = '1e999', request_count = 99999999999999, display_name = 'Al' || char(0) || 'ice' WHERE username = 'alice'`,
        );
        await source.query(
          `UPDATE users SET used_quota = 'NaN', quota = -5 WHERE username = 'bob'`,
        );
        await source.query(
          `UPDATE tokens SET remain_quota = 90071992547409930, name = 'en' || char(0) || 'abled' WHERE name = 'enabled'`,
        );
        await source.query(`UPDATE channels SET weight = 1e12, priority = 'high' WHERE id = 1`);
        await source.query(`UPDATE logs SET prompt_tokens = 1e15, quota = '-Infinity'`);
      } finally {
        await source.close();
      }
      testDb = await createTestDatabase(name);
      db = await openTestDatabase(testDb);
    });
    afterAll(async () => {
      await db?.close();
      await testDb?.drop();
      await fixture?.drop();
    });

    it('imports every row with each value made sane', async () => {
      const report = await importLegacyDatabase(db, fixture.source, { includeLogs: true });
      expect(report.tables.users.imported).toBe(4);
      expect(report.tables.tokens.imported).toBe(7);
      expect(report.tables.logs.imported).toBe(3);

      const alice = await db.repos.users.findByUsername('alice');
      expect(alice).toMatchObject({ displayName: 'Alice', quota: 0 });
      expect(alice!.requestCount).toBe(2 ** 31 - 1);
      expect(await db.repos.users.findByUsername('bob')).toMatchObject({ quota: -5, usedQuota: 0 });

      const token = await db.repos.tokens.findByKey(LEGACY_CLIENT_KEYS['one-api'].enabled);
      expect(token).toMatchObject({ name: 'enabled', remainQuota: Number.MAX_SAFE_INTEGER });

      const channel = (await db.repos.channels.list()).find((c) => c.name === 'OpenAI main')!;
      expect(channel).toMatchObject({ weight: 2 ** 31 - 1, priority: 0 });

      const logs = await db.models.Log.findAll({ where: { type: 2 }, raw: true });
      for (const log of logs) {
        expect(log.promptTokens).toBe(2 ** 31 - 1);
        expect(Number(log.quota)).toBe(0);
      }
    });
  },
);
