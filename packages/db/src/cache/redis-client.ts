import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

const require = createRequire(import.meta.url);

/**
 * A Redis connection that fails fast while Redis is unreachable (no offline queue, short command
 * timeout), so callers fall back to the database instead of waiting; it keeps reconnecting.
 */
export function createRedisClient(url: string, logger: Logger, role: string): Redis {
  // Loaded only when Redis is configured: it is a few megabytes of memory otherwise unused.
  const { Redis: RedisClient } = require('ioredis') as typeof IORedis;
  const client = new RedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1000,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // ioredis resubscribes without handling a failure, and a connection lost again at that
    // moment would end the process with an unhandled rejection: RedisInvalidationBus does it.
    autoResubscribe: false,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`redis (${role}) unavailable, using the database: ${error.message}`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info(`redis (${role}) reachable again`);
  });
  return client;
}

/** Connects, or throws an error naming REDIS_CONN_STRING. */
export async function connectRedis(client: Redis): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`REDIS_CONN_STRING: cannot connect to Redis (${(error as Error).message})`);
  }
}
