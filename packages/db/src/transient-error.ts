import { ConnectionError, TimeoutError } from 'sequelize';

/** SQLite: another writer holds the lock, the disk or memory failed, the database is closing. */
const SQLITE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_NOMEM',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
  'SQLITE_INTERRUPT',
  'SQLITE_READONLY',
  'SQLITE_MISUSE',
]);

/** The socket to a database server. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** MySQL / MariaDB (mysql2's codes): the connection, locks, the server's limits and state. */
const MYSQL = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CLIENT_INTERACTION_TIMEOUT',
]);

/**
 * PostgreSQL SQLSTATE classes: 08 connection, 40 rollback (deadlock, serialization), 53
 * resources, 57 operator intervention (shutdown, cancel), 58 system; 55P03 lock not
 * available, 25006 read-only transaction (a standby).
 */
const POSTGRES = /^(08|40|53|57|58)...$|^55P03$|^25006$/;

/** pg reports a connection lost mid-query by message only. */
const POSTGRES_CONNECTION = /^Connection terminated|not queryable|timeout exceeded/;

/** The error, and what the drivers and Sequelize wrapped in it. */
function* causes(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  const seen = new Set<unknown>();
  let next: unknown = error;
  while (next && typeof next === 'object' && !seen.has(next)) {
    seen.add(next);
    yield next;
    const wrapper = next as { parent?: unknown; original?: unknown; cause?: unknown };
    next = wrapper.parent ?? wrapper.original ?? wrapper.cause;
  }
}

/**
 * Whether a failed write may succeed as it is later: the database was busy, locked or
 * unreachable. Otherwise the database refused what was written, and retrying it as it is
 * would fail the same way for ever.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  for (const cause of causes(error)) {
    const code = typeof cause.code === 'string' ? cause.code : '';
    if (SQLITE.has(code) || NETWORK.has(code) || MYSQL.has(code) || POSTGRES.test(code)) {
      return true;
    }
    if (!code && typeof cause.message === 'string' && POSTGRES_CONNECTION.test(cause.message)) {
      return true;
    }
  }
  return false;
}
