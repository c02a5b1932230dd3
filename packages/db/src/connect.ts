import { createRequire } from 'node:module';
import type pg from 'pg';
import { Sequelize, Transaction, type Options } from 'sequelize';
import sqlite3 from 'sqlite3';
import type { DatabaseConfig } from './config.js';
import type { Dialect } from './dsn.js';

const require = createRequire(import.meta.url);

const CREATED_AT = Symbol('createdAt');

/** Builds a Sequelize instance for the configured database; nothing is connected yet. */
export function createSequelize(config: DatabaseConfig): Sequelize {
  const { target } = config;
  const common: Options = {
    logging: config.logging ? (sql) => console.log(sql) : false,
    define: { timestamps: false, underscored: true, freezeTableName: true },
  };
  if (target.dialect === 'sqlite') {
    return reuseTransactionConnection(
      serializeTransactions(
        new Sequelize({
          ...common,
          dialect: 'sqlite',
          storage: target.storage,
          dialectModule: sqliteWithBusyTimeout(config.busyTimeoutMs),
          // A deferred transaction that later writes can fail at once with SQLITE_BUSY; taking the
          // write lock up front makes concurrent writers wait for the busy timeout instead.
          transactionType: Transaction.TYPES.IMMEDIATE,
          pool: { max: 1 },
        }),
      ),
    );
  }

  if (target.dialect === 'postgres') {
    // Loaded only for PostgreSQL. It returns BIGINT and COUNT(*) as strings; quotas stay far
    // below 2^53.
    const postgres = require('pg') as typeof pg;
    postgres.types.setTypeParser(postgres.types.builtins.INT8, (value) => Number(value));
  }
  const { maxOpen, maxLifetimeMs } = config.pool;
  const sequelize: Sequelize = new Sequelize({
    ...common,
    dialect: target.dialect,
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    database: target.database,
    dialectOptions: dialectOptions(target.dialect, target),
    pool: {
      max: maxOpen,
      min: 0,
      idle: 10_000,
      acquire: 30_000,
      // SQL_CONN_MAX_LIFETIME: a connection older than this is closed instead of reused.
      validate: (connection: object) => {
        const createdAt = (connection as { [CREATED_AT]?: number })[CREATED_AT] ?? Date.now();
        if (Date.now() - createdAt > maxLifetimeMs) return false;
        const manager = sequelize?.connectionManager as
          { validate?(c: object): boolean } | undefined;
        return manager?.validate?.(connection) ?? true;
      },
    },
    hooks: {
      afterConnect: (connection: unknown) => {
        (connection as { [CREATED_AT]?: number })[CREATED_AT] = Date.now();
      },
    },
  });
  return sequelize;
}

function dialectOptions(
  dialect: Exclude<Dialect, 'sqlite'>,
  target: { socketPath?: string; tls?: { rejectUnauthorized: boolean } },
): object {
  const ssl = target.tls ? { rejectUnauthorized: target.tls.rejectUnauthorized } : undefined;
  if (dialect === 'postgres') return ssl ? { ssl } : {};
  return {
    charset: 'utf8mb4',
    connectTimeout: 10_000,
    ...(target.socketPath ? { socketPath: target.socketPath } : {}),
    ...(ssl ? { ssl } : {}),
  };
}

/** sqlite3 whose connections wait for a busy file lock (Sequelize opens one per transaction). */
function sqliteWithBusyTimeout(busyTimeoutMs: number): typeof sqlite3 {
  class Database extends sqlite3.Database {
    constructor(filename: string, mode: number, callback: (err: Error | null) => void) {
      super(filename, mode, (err) => {
        if (!err) {
          this.configure('busyTimeout', busyTimeoutMs);
          // Per connection: a commit syncs at checkpoints, not each time (WAL keeps it safe).
          this.run('PRAGMA synchronous=NORMAL');
        }
        callback(err);
      });
    }
  }
  return { ...sqlite3, Database } as typeof sqlite3;
}

/**
 * SQLite admits one writer; Sequelize gives each transaction its own connection, and a connection
 * waiting for the lock sleeps on one of libuv's four threads. Several waiting at once can starve
 * the holder of a thread to commit on, so a process runs its transactions one at a time.
 * (Callback-style transactions only, which is all this codebase uses.)
 */
function serializeTransactions(sequelize: Sequelize): Sequelize {
  const transaction = sequelize.transaction.bind(sequelize) as (
    ...args: unknown[]
  ) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  sequelize.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => transaction(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof sequelize.transaction;
  return sequelize;
}

type SqliteConnection = object;

/**
 * Sequelize opens (and closes) a new SQLite connection for every transaction: a file open and a
 * schema read, milliseconds each, on every billed request. Transactions here run one at a
 * time (above), so they can all share one long-lived connection of their own.
 */
function reuseTransactionConnection(sequelize: Sequelize): Sequelize {
  const manager = sequelize.connectionManager as unknown as {
    getConnection(options?: { uuid?: string }): Promise<SqliteConnection>;
    releaseConnection(connection: SqliteConnection, force?: boolean): void;
  };
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  let shared: SqliteConnection | undefined;
  manager.getConnection = async (options) => {
    if (!options?.uuid || options.uuid === 'default') return getConnection(options);
    shared ??= await getConnection({ uuid: 'transactions' });
    return shared;
  };
  manager.releaseConnection = (connection, force) => {
    // Closed with the others when Sequelize closes.
    if (connection !== shared) releaseConnection(connection, force);
  };
  return sequelize;
}
