import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseDsn, type ServerTarget } from '../dsn.js';

export type DatabaseBackend = 'sqlite' | 'postgres' | 'mysql';
export type CacheBackend = 'memory' | 'redis';

const DATABASE_VARIABLES: Record<Exclude<DatabaseBackend, 'sqlite'>, string> = {
  postgres: 'TEST_PG_DSN',
  mysql: 'TEST_MYSQL_DSN',
};

export interface BackendChoice<T> {
  name: T;
  /** Why it is skipped (its variable is unset), or undefined when it runs. */
  skip?: string;
}

/** SQLite always; PostgreSQL and MySQL when TEST_PG_DSN / TEST_MYSQL_DSN are set. */
export function databaseBackends(): BackendChoice<DatabaseBackend>[] {
  return [
    { name: 'sqlite' },
    ...(['postgres', 'mysql'] as const).map((name) => {
      const variable = DATABASE_VARIABLES[name];
      return process.env[variable] ? { name } : { name, skip: `${variable} not set` };
    }),
  ];
}

/** Memory always; Redis when TEST_REDIS_URL is set. */
export function cacheBackends(): BackendChoice<CacheBackend>[] {
  return [
    { name: 'memory' },
    process.env.TEST_REDIS_URL
      ? { name: 'redis' }
      : { name: 'redis', skip: 'TEST_REDIS_URL not set' },
  ];
}

/** One line for the test log: which backends this run used and which it skipped. */
export function describeBackends(): string {
  const all = [...databaseBackends(), ...cacheBackends()];
  const used = all.filter((b) => !b.skip).map((b) => b.name);
  const skipped = all.filter((b) => b.skip).map((b) => `${b.name} (${b.skip})`);
  return `backends used: ${used.join(', ')}; skipped: ${skipped.join(', ') || 'none'}`;
}

export interface TestDatabase {
  /** Environment for readStorageConfig / the apps: SQL_DSN and SQLITE_PATH. */
  env: { SQL_DSN: string; SQLITE_PATH: string };
  drop(): Promise<void>;
}

/** A new empty database on the backend: a temporary SQLite file, or a fresh database on the server. */
export async function createTestDatabase(backend: DatabaseBackend): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'chat-api-test-'));
    return {
      env: { SQL_DSN: '', SQLITE_PATH: join(dir, 'chat-api.db') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminDsn = process.env[DATABASE_VARIABLES[backend]];
  if (!adminDsn) throw new Error(`${DATABASE_VARIABLES[backend]} is not set`);
  const target = parseDsn(adminDsn, '') as ServerTarget;
  const name = `chat_api_test_${randomBytes(6).toString('hex')}`;
  if (backend === 'postgres') {
    await withPostgres(target, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminDsn);
    url.pathname = `/${name}`;
    return {
      env: { SQL_DSN: url.toString(), SQLITE_PATH: '' },
      drop: () =>
        withPostgres(target, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
        ),
    };
  }
  await withMysql(target, (connection) =>
    connection.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
  );
  const credentials = target.password ? `${target.username}:${target.password}` : target.username;
  return {
    env: { SQL_DSN: `${credentials}@tcp(${target.host}:${target.port})/${name}`, SQLITE_PATH: '' },
    drop: () =>
      withMysql(target, (connection) => connection.query(`DROP DATABASE IF EXISTS ${name}`)),
  };
}

async function withPostgres(
  target: ServerTarget,
  run: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
    database: target.database,
  });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

async function withMysql(
  target: ServerTarget,
  run: (connection: mysql.Connection) => Promise<unknown>,
): Promise<void> {
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
  try {
    await run(connection);
  } finally {
    await connection.end();
  }
}
