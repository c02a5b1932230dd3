import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStorageConfig } from '../src/config.js';
import { createSequelize } from '../src/connect.js';
import type { Database } from '../src/database.js';
import { transactionSql } from '../src/repositories/transaction-sql.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { isTransientDatabaseError } from '../src/transient-error.js';
import { openTestDatabase } from './helpers.js';

/** The error a promise fails with. */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('it did not fail');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * The bill writer retries a batch the database could not take now, and sets apart a bill it
 * refused: the two must be told apart from what each driver really throws.
 */
describe.each(databaseBackends())('database errors on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it.skipIf(skip)('a value the database refuses is not transient', async () => {
    const refused = await failure(() =>
      db.sequelize.transaction(async (transaction) =>
        transactionSql(db.sequelize, transaction).insert(
          // INSERT into a column that does not exist: refused on every dialect, every time.
          'INSERT INTO logs (user_id, created_at, type, no_such_column) VALUES (1, 1, 2, 3)',
        ),
      ),
    );
    expect(isTransientDatabaseError(refused)).toBe(false);
    expect(isTransientDatabaseError(new Error('billing: NaN is not an integer'))).toBe(false);
  });
});

describe.each(databaseBackends().filter((backend) => backend.name !== 'sqlite'))(
  'a $name server that cannot be reached',
  ({ name, skip }) => {
    let testDb: TestDatabase;

    beforeAll(async () => {
      if (skip) return;
      testDb = await createTestDatabase(name);
    });
    afterAll(async () => {
      await testDb?.drop();
    });

    it.skipIf(skip)('an unreachable server is transient', async () => {
      const env = { ...testDb.env };
      env.SQL_DSN = env.SQL_DSN.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${await closedPort()}`);
      const unreachable = createSequelize(readStorageConfig(env).database);
      try {
        const error = await failure(() => unreachable.query('SELECT 1'));
        expect(isTransientDatabaseError(error)).toBe(true);
      } finally {
        await unreachable.close();
      }
    });
  },
);

describe('a SQLite file another writer has locked', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('another writer holding the lock is transient', async () => {
    const other = createSequelize(
      readStorageConfig({ ...testDb.env, SQLITE_BUSY_TIMEOUT: '20' }).database,
    );
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.sequelize.transaction(async (transaction) => {
      await db.sequelize.query('SELECT 1', { transaction });
      locked();
      await released;
    });
    try {
      await lockTaken;
      const error = await failure(() =>
        other.transaction(async (transaction) =>
          transactionSql(other, transaction).update('UPDATE users SET quota = quota WHERE id = 1'),
        ),
      );
      expect(isTransientDatabaseError(error)).toBe(true);
    } finally {
      release();
      await holder;
      await other.close();
    }
  });
});
