import type { Models } from '../models/index.js';
import type { CacheConfig } from '../config.js';
import { BothBuses } from './both-buses.js';
import { Cache } from './cache.js';
import { DatabaseInvalidationBus } from './database-bus.js';
import type { Logger } from './logger.js';
import { RedisInvalidationBus } from './redis-bus.js';
import { connectRedis, createRedisClient } from './redis-client.js';

export { Cache, DEFAULT_TTL_SECONDS } from './cache.js';
export { CacheKeys } from './keys.js';
export {
  RequestLimiter,
  type MinuteLimits,
  type MinuteRefusal,
  type Slot,
} from './request-limiter.js';
export type { Logger } from './logger.js';
export { consoleLogger } from './logger.js';

/** Memory cache with database-polled invalidation; with Redis, pub/sub on top of it. */
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
    const bus = new BothBuses(
      new RedisInvalidationBus(client, subscriber, `${prefix}invalidate`),
      new DatabaseInvalidationBus(models, logger),
    );
    cache = new Cache(bus, logger, prefix, client);
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
