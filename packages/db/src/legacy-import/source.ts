import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';
import { createSequelize } from '../connect.js';
import { parseDsn, redact, type DatabaseTarget } from '../dsn.js';
import { ConfigError } from '../errors.js';
import { LegacyImportError } from './errors.js';
import type { SourceRow } from './values.js';

/** A One API / New API database: a SQLite file's path, or a DSN as SQL_DSN takes it. */
export type LegacySource = string;

/** The source database, opened for reading only. */
export interface SourceDatabase {
  dialect: DatabaseTarget['dialect'];
  /** Where it is, without its password. */
  location: string;
  tables: ReadonlySet<string>;
  columns(table: string): Promise<ReadonlySet<string>>;
  /** Rows with id above `afterId`, by id: stable pages even if the source is in use. */
  page(table: string, afterId: number, limit: number): Promise<SourceRow[]>;
  all(table: string): Promise<SourceRow[]>;
  close(): Promise<void>;
}

const DSN = /^(postgres(ql)?|mysql):\/\//i;
// Go's MySQL form: user:pass@tcp(host:port)/db or @unix(/path)/db.
const GO_MYSQL = /@(tcp|unix)\(/;

export async function openLegacySource(source: LegacySource): Promise<SourceDatabase> {
  const trimmed = source.trim();
  if (trimmed === '') throw new LegacyImportError('--from: give a SQLite file or a DSN');
  const isDsn = DSN.test(trimmed) || GO_MYSQL.test(trimmed);
  const { sequelize, dialect, location } = isDsn ? openServer(trimmed) : openSqlite(trimmed);
  try {
    await sequelize.authenticate({ logging: false });
    const names = (await sequelize.getQueryInterface().showAllTables()) as unknown[];
    const tables = new Set(
      names.map((name) =>
        typeof name === 'string' ? name : String((name as { tableName: unknown }).tableName),
      ),
    );
    return sourceDatabase(sequelize, dialect, location, tables);
  } catch (error) {
    await sequelize.close().catch(() => undefined);
    throw new LegacyImportError(`--from: cannot read ${location} (${(error as Error).message})`, {
      cause: error,
    });
  }
}

function openServer(dsn: string) {
  let target: DatabaseTarget;
  try {
    target = parseDsn(dsn, '');
  } catch (error) {
    const message = error instanceof ConfigError ? error.message.replace(/^SQL_DSN: /, '') : '';
    throw new LegacyImportError(`--from: ${message || (error as Error).message}`);
  }
  const sequelize = createSequelize({
    target,
    busyTimeoutMs: 3000,
    pool: { maxOpen: 2, maxIdle: 1, maxLifetimeMs: 60 * 60_000 },
    logging: false,
  });
  return { sequelize, dialect: target.dialect, location: `${target.dialect} ${redact(dsn)}` };
}

function openSqlite(path: string) {
  const storage = resolve(path.replace(/^sqlite:(\/\/)?/i, ''));
  if (!existsSync(storage) || !statSync(storage).isFile()) {
    throw new LegacyImportError(
      `--from: ${path} is neither a DSN (postgres://…, mysql://…, user:pass@tcp(host:3306)/db) nor a SQLite file`,
    );
  }
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage,
    logging: false,
    // Read-only: the import never writes to the database it reads.
    dialectOptions: { mode: sqlite3.OPEN_READONLY },
  });
  return { sequelize, dialect: 'sqlite' as const, location: `sqlite ${storage}` };
}

function sourceDatabase(
  sequelize: Sequelize,
  dialect: DatabaseTarget['dialect'],
  location: string,
  tables: ReadonlySet<string>,
): SourceDatabase {
  const qi = sequelize.getQueryInterface();
  const columns = new Map<string, ReadonlySet<string>>();
  const select = (sql: string, replacements: unknown[] = []) =>
    sequelize.query<SourceRow>(sql, { replacements, type: QueryTypes.SELECT });
  return {
    dialect,
    location,
    tables,
    async columns(table) {
      let known = columns.get(table);
      if (!known) {
        known = new Set(Object.keys(await qi.describeTable(table)));
        columns.set(table, known);
      }
      return known;
    },
    page(table, afterId, limit) {
      return select(
        `SELECT * FROM ${qi.quoteIdentifier(table)} WHERE id > ? ORDER BY id LIMIT ${Number(limit)}`,
        [afterId],
      );
    },
    all(table) {
      return select(`SELECT * FROM ${qi.quoteIdentifier(table)}`);
    },
    close: () => sequelize.close(),
  };
}
