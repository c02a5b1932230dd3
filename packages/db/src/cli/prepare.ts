import { consoleLogger } from '../cache/logger.js';
import { readStorageConfig } from '../config.js';
import { openDatabase } from '../database.js';

/**
 * `npm start`'s first step: check the storage settings, reach the database, migrate and create
 * root (master), once, before the proxy and console start. A problem is one line and exit 1.
 */
try {
  const db = await openDatabase({ ...readStorageConfig(process.env), logger: consoleLogger });
  await db.close();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
