import { consoleLogger, type Logger } from '../src/cache/logger.js';
import { readStorageConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/database.js';
import type { TestDatabase } from '../src/testing/backends.js';

export const quietLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: consoleLogger.error,
};

/** Opens the test database as a node of the given type would, with the memory cache or Redis. */
export function openTestDatabase(
  db: TestDatabase,
  options: { redisUrl?: string; nodeType?: 'master' | 'slave'; logger?: Logger } = {},
): Promise<Database> {
  const config = readStorageConfig({
    ...db.env,
    REDIS_CONN_STRING: options.redisUrl,
    NODE_TYPE: options.nodeType,
  });
  return openDatabase({ ...config, logger: options.logger ?? quietLogger });
}
