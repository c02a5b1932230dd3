import { parseDsn, type DatabaseTarget } from './dsn.js';
import { boolVar, intVar, oneOfVar, stringVar, urlVar, type Env } from './env.js';

export interface DatabaseConfig {
  target: DatabaseTarget;
  /** SQLite: how long a writer waits for the file lock before SQLITE_BUSY. */
  busyTimeoutMs: number;
  pool: { maxOpen: number; maxIdle: number; maxLifetimeMs: number };
  logging: boolean;
}

export interface CacheConfig {
  /** Redis URL; unset → in-process memory cache with invalidation through the database. */
  redisUrl?: string;
  /** Full resync safety net: every node drops its local cache this often. */
  syncFrequencySeconds: number;
}

export interface NodeConfig {
  /** master runs migrations and periodic jobs; slave runs neither. */
  nodeType: 'master' | 'slave';
}

/** The database, cache and node settings shared by the proxy and the console (DESIGN §3). */
export function readStorageConfig(env: Env): {
  database: DatabaseConfig;
  cache: CacheConfig;
  node: NodeConfig;
} {
  const sqlitePath = stringVar(env, 'SQLITE_PATH', './data/chat-api.db');
  const redisUrl = urlVar(env, 'REDIS_CONN_STRING', ['redis:', 'rediss:']);
  // Accepted for compatibility: caching is always on here (DESIGN §3).
  boolVar(env, 'MEMORY_CACHE_ENABLED', true);
  return {
    database: {
      target: parseDsn(env.SQL_DSN ?? '', sqlitePath),
      busyTimeoutMs: intVar(env, 'SQLITE_BUSY_TIMEOUT', 3000),
      pool: {
        maxOpen: intVar(env, 'SQL_MAX_OPEN_CONNS', 1000, 1),
        maxIdle: intVar(env, 'SQL_MAX_IDLE_CONNS', 100),
        maxLifetimeMs: intVar(env, 'SQL_CONN_MAX_LIFETIME', 60, 1) * 60_000,
      },
      logging: boolVar(env, 'SQL_LOG', false),
    },
    cache: {
      ...(redisUrl ? { redisUrl } : {}),
      syncFrequencySeconds: intVar(env, 'SYNC_FREQUENCY', 600, 1),
    },
    node: { nodeType: oneOfVar(env, 'NODE_TYPE', ['master', 'slave'], 'master') },
  };
}
