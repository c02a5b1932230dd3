import { readStorageConfig } from '../../config.js';
import { createSequelize } from '../../connect.js';
import type { LegacyProject } from '../../legacy-import/index.js';
import { createTestDatabase, type DatabaseBackend, type TestDatabase } from '../backends.js';
import { legacyRows } from './rows.js';
import { LEGACY_SCHEMAS } from './schemas.js';

export interface LegacyFixture {
  project: LegacyProject;
  backend: DatabaseBackend;
  /** What `--from` takes: the SQLite file, or the DSN. */
  source: string;
  /** The throwaway database, for tests that change it. */
  database: TestDatabase;
  drop(): Promise<void>;
}

/**
 * A One API or New API database in its own schema on a throwaway database of the backend
 * (SQLite file, or a new database on TEST_PG_DSN / TEST_MYSQL_DSN), filled with the rows of
 * rows.ts. Keys and passwords: data.ts.
 */
export async function buildLegacyDatabase(
  project: LegacyProject,
  backend: DatabaseBackend,
): Promise<LegacyFixture> {
  const database = await createTestDatabase(backend);
  const sequelize = createSequelize(readStorageConfig(database.env).database);
  try {
    const qi = sequelize.getQueryInterface();
    const rows = await legacyRows(project);
    for (const [table, columns] of Object.entries(LEGACY_SCHEMAS[project])) {
      await qi.createTable(table, columns);
      const tableRows = rows[table] ?? [];
      if (tableRows.length > 0) await qi.bulkInsert(table, tableRows);
    }
    if (backend === 'postgres') {
      // Inserted with explicit ids: move the sequences past them, as a live database would be.
      for (const table of Object.keys(LEGACY_SCHEMAS[project])) {
        if (!('id' in (LEGACY_SCHEMAS[project][table] ?? {}))) continue;
        await sequelize.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM "${table}"))`,
        );
      }
    }
  } finally {
    await sequelize.close();
  }
  return {
    project,
    backend,
    source: database.env.SQL_DSN || database.env.SQLITE_PATH,
    database,
    drop: () => database.drop(),
  };
}

export const buildOneApiDatabase = (backend: DatabaseBackend) =>
  buildLegacyDatabase('one-api', backend);
export const buildNewApiDatabase = (backend: DatabaseBackend) =>
  buildLegacyDatabase('new-api', backend);
