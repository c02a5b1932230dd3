import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { migrations as allMigrations } from './migrations/index.js';
import { TABLE_OPTIONS, type Migration } from './migrations/migration.js';
import { isUniqueViolation } from './unique-violation.js';
import { nowSeconds } from './time.js';

const LOCK_TABLE = 'migration_lock';
const APPLIED_TABLE = 'schema_migrations';
/** A lock older than this belongs to a node that died mid-migration. */
const STALE_LOCK_SECONDS = 300;
const LOCK_WAIT_MS = 120_000;

/**
 * Applies pending migrations. Safe when several nodes start together: a row in
 * migration_lock (one primary key) admits one runner at a time on every dialect.
 */
export async function migrate(
  sequelize: Sequelize,
  migrations: readonly Migration[] = allMigrations,
): Promise<string[]> {
  await ensureBookkeepingTables(sequelize);
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  await acquireLock(sequelize, owner);
  try {
    const rows = await sequelize.query<{ name: string }>(`SELECT name FROM ${APPLIED_TABLE}`, {
      type: QueryTypes.SELECT,
    });
    const applied = new Set(rows.map((row) => row.name));
    const ran: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await migration.up(sequelize.getQueryInterface());
      await sequelize
        .getQueryInterface()
        .bulkInsert(APPLIED_TABLE, [{ name: migration.name, applied_time: nowSeconds() }]);
      ran.push(migration.name);
    }
    return ran;
  } finally {
    await sequelize.getQueryInterface().bulkDelete(LOCK_TABLE, { id: 1, owner });
  }
}

async function ensureBookkeepingTables(sequelize: Sequelize): Promise<void> {
  const qi = sequelize.getQueryInterface();
  const create = async (name: string, columns: Parameters<typeof qi.createTable>[1]) => {
    try {
      await qi.createTable(name, columns, TABLE_OPTIONS);
    } catch (error) {
      // Two nodes creating the table at once: PostgreSQL reports the loser as a unique violation.
      if (!(await tableExists(sequelize, name))) throw error;
    }
  };
  // createTable is CREATE TABLE IF NOT EXISTS on every dialect.
  await create(LOCK_TABLE, {
    id: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
    owner: { type: DataTypes.STRING(191), allowNull: false },
    locked_time: { type: DataTypes.BIGINT, allowNull: false },
  });
  await create(APPLIED_TABLE, {
    name: { type: DataTypes.STRING(128), primaryKey: true, allowNull: false },
    applied_time: { type: DataTypes.BIGINT, allowNull: false },
  });
}

async function tableExists(sequelize: Sequelize, name: string): Promise<boolean> {
  const tables = await sequelize.getQueryInterface().showAllTables();
  return tables.some((table) => (typeof table === 'string' ? table : String(table)) === name);
}

async function acquireLock(sequelize: Sequelize, owner: string): Promise<void> {
  const qi = sequelize.getQueryInterface();
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await qi.bulkInsert(LOCK_TABLE, [{ id: 1, owner, locked_time: nowSeconds() }]);
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    await sequelize.query(`DELETE FROM ${LOCK_TABLE} WHERE id = 1 AND locked_time < ?`, {
      replacements: [nowSeconds() - STALE_LOCK_SECONDS],
    });
    if (Date.now() > deadline) {
      throw new Error(`another node has held the migration lock for over ${LOCK_WAIT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
