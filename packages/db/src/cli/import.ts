import { parseArgs } from 'node:util';
import { consoleLogger } from '../cache/logger.js';
import { readStorageConfig } from '../config.js';
import { openDatabase } from '../database.js';
import {
  formatImportReport,
  importLegacyDatabase,
  inspectLegacySource,
} from '../legacy-import/index.js';

const USAGE = 'usage: npm run import -- --from <DSN or SQLite file> [--dry-run] [--logs]';

/**
 * `npm run import`: brings a One API or New API database into this gateway's (SQL_DSN /
 * SQLITE_PATH, as `npm start` uses them) and prints what it did. A problem is one line, exit 1.
 */
let args: { from?: string; 'dry-run'?: boolean; logs?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: {
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      logs: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.from) {
  console.error(`--from is required\n${USAGE}`);
  process.exit(2);
}

try {
  // A mistyped --from fails here, before the target is opened (and migrated).
  await inspectLegacySource(args.from);
  const db = await openDatabase({ ...readStorageConfig(process.env), logger: consoleLogger });
  try {
    const report = await importLegacyDatabase(db, args.from, {
      dryRun: args['dry-run'] ?? false,
      includeLogs: args.logs ?? false,
      logger: consoleLogger,
    });
    console.log(formatImportReport(report));
  } finally {
    await db.close();
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
