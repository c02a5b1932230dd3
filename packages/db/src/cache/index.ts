import type { Models } from '../models/index.js';
import type { CacheConfig } from '../config.js';
import { Cache } from './cache.js';
import { DatabaseInvalidationBus } from './database-bus.js';
import type { Logger } from './logger.js';
import { RedisInvalidationBus } from './redis-bus.js';
import { connectRedis, createRedisClient } from './redis-client.js';

export { Cache, DEFAULT_TTL_SECONDS } from './cache.js';
export { CacheKeys } from './keys.js';
export type { Logger } from './logger.js';
export { consoleLogger } from './logger.js';

/** Memory cache with database-polled invalidation, or Redis with pub/sub when configured. */
export async function createCache(
  config: CacheConfig,
  models: Models,
  logger: Logger,
  namespace: string,
): Promise<Cache> {
  const prefix = `chat-api:${namespace}:`;
  let cache: Cache;
  if (config.redisUrl) {
    const client = createRedisClient(config.redisUrl, logger, 'cache');
    await connectRedis(client);
    const subscriber = createRedisClient(config.redisUrl, logger, 'subscriber');
    cache = new Cache(
      new RedisInvalidationBus(client, subscriber, `${prefix}invalidate`),
      logger,
      prefix,
      client,
    );
  } else {
    cache = new Cache(new DatabaseInvalidationBus(models, logger), logger, prefix);
  }
  try {
    await cache.start(config.syncFrequencySeconds);
  } catch (error) {
    await cache.close();
    throw error;
  }
  return cache;
}
