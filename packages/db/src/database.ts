import type { Sequelize } from 'sequelize';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { QueryTypes } from 'sequelize';
import { ensureRootUser } from './bootstrap.js';
import { createCache, type Cache, type Logger } from './cache/index.js';
import type { CacheConfig, DatabaseConfig, NodeConfig } from './config.js';
import { createSequelize } from './connect.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import { defineModels, type Models } from './models/index.js';
import { createRepositories, type Repositories } from './repositories/index.js';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  repos: Repositories;
  cache: Cache;
  /** A round trip to the database, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  database: DatabaseConfig;
  cache: CacheConfig;
  node: NodeConfig;
  logger: Logger;
}

/**
 * Connects, migrates and creates root (master nodes only; slaves wait for the schema), then
 * starts the cache. Errors name the variable or server at fault.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const sequelize = createSequelize(options.database);
  try {
    await connect(sequelize, options.database);
    const models = defineModels(sequelize);
    if (options.node.nodeType === 'master') {
      const ran = await migrate(sequelize);
      if (ran.length > 0) options.logger.info(`database: applied ${ran.join(', ')}`);
    } else {
      await waitForSchema(sequelize);
    }
    const cache = await createCache(
      options.cache,
      models,
      options.logger,
      cacheNamespace(options.database),
    );
    const repos = createRepositories(sequelize, models, cache, (keys) => cache.invalidate(keys));
    if (options.node.nodeType === 'master' && (await ensureRootUser(repos))) {
      options.logger.info(
        'database: created user root (password 123456, to be changed at first login)',
      );
    }
    return {
      sequelize,
      models,
      repos,
      cache,
      ping: async () => {
        await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
      },
      close: async () => {
        await cache.close();
        await sequelize.close();
      },
    };
  } catch (error) {
    await sequelize.close().catch(() => undefined);
    throw error;
  }
}

/** Which database this is (not its password): nodes of one deployment share it, others do not. */
function cacheNamespace({ target }: DatabaseConfig): string {
  const identity =
    target.dialect === 'sqlite'
      ? ['sqlite', resolve(target.storage)]
      : [target.dialect, target.socketPath ?? target.host, target.port, target.database];
  return createHash('sha256').update(identity.join('|')).digest('hex').slice(0, 12);
}

async function connect(sequelize: Sequelize, config: DatabaseConfig): Promise<void> {
  const { target } = config;
  try {
    await sequelize.authenticate({ logging: false });
    if (target.dialect === 'sqlite') {
      // WAL lets readers work while one writer commits; it is a property of the file.
      await sequelize.query('PRAGMA journal_mode=WAL');
      await sequelize.query('PRAGMA synchronous=NORMAL');
    }
  } catch (error) {
    const cause = (error as Error).message;
    if (target.dialect === 'sqlite') {
      throw new Error(`SQLITE_PATH: cannot open SQLite file ${target.storage} (${cause})`);
    }
    const where = target.socketPath ?? `${target.host}:${target.port}`;
    throw new Error(
      `SQL_DSN: cannot connect to ${target.dialect} at ${where}/${target.database} (${cause})`,
    );
  }
}

/** A slave node never migrates: it waits (up to a minute) for a master to have done so. */
async function waitForSchema(sequelize: Sequelize): Promise<void> {
  const deadline = Date.now() + 60_000;
  const last = migrations.at(-1)?.name;
  for (;;) {
    try {
      const rows = await sequelize.query('SELECT name FROM schema_migrations WHERE name = ?', {
        replacements: [last],
        type: QueryTypes.SELECT,
      });
      if (rows.length > 0) return;
    } catch {
      // The table does not exist yet.
    }
    if (Date.now() > deadline) {
      throw new Error('NODE_TYPE: slave node found no migrated schema; start a master node first');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
