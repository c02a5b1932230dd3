import type { Logger } from '../cache/logger.js';
import type { Database } from '../database.js';
import { nowSeconds } from '../time.js';
import type { ImportContext } from './context.js';
import { detectProject, type Detection } from './detect.js';
import { LegacyImportError } from './errors.js';
import { IdMap } from './id-map.js';
import { importChannels } from './import-channels.js';
import { importLogs } from './import-logs.js';
import { importOptions } from './import-options.js';
import { importRedemptions } from './import-redemptions.js';
import { importTokens } from './import-tokens.js';
import { importUsers } from './import-users.js';
import { ReportBuilder, type ImportReport, type LegacyTable } from './report.js';
import { openLegacySource, type LegacySource } from './source.js';

export interface ImportOptions {
  /** Plan everything, report it, write nothing (each batch's transaction is rolled back). */
  dryRun?: boolean;
  /** Also bring the request and top-up logs (can be large). */
  includeLogs?: boolean;
  logger?: Logger;
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

// In dependency order: tokens need their users, logs need users, tokens and channels.
const STEPS: [LegacyTable, (ctx: ImportContext) => Promise<void>][] = [
  ['users', importUsers],
  ['channels', importChannels],
  ['tokens', importTokens],
  ['redemptions', importRedemptions],
  ['options', importOptions],
  ['logs', importLogs],
];

/** Opens the source, says what it is, closes it: refuses a bad source before the target is touched. */
export async function inspectLegacySource(
  source: LegacySource,
): Promise<Detection & { location: string }> {
  const sourceDb = await openLegacySource(source);
  try {
    return { ...(await detectProject(sourceDb)), location: sourceDb.location };
  } finally {
    await sourceDb.close();
  }
}

/**
 * Imports a One API or New API database into this gateway's. Reruns import nothing twice, and a
 * run stopped part-way resumes at the batch it was in. The source is only read.
 */
export async function importLegacyDatabase(
  target: Database,
  source: LegacySource,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const logger = options.logger ?? silent;
  const dryRun = options.dryRun ?? false;
  const includeLogs = options.includeLogs ?? false;
  const sourceDb = await openLegacySource(source);
  try {
    const detection = await detectProject(sourceDb);
    logger.info(`import: ${sourceDb.location} is ${detection.name} ${detection.version}`);
    const report = new ReportBuilder(
      { ...detection, dialect: sourceDb.dialect, location: sourceDb.location },
      { dryRun, includeLogs },
    );
    const ctx: ImportContext = {
      target,
      source: sourceDb,
      detection,
      dryRun,
      logger,
      report,
      ids: await IdMap.load(target.models, detection.project),
      now: nowSeconds(),
      invalidations: new Set(),
    };
    for (const [table, step] of STEPS) {
      if (table === 'logs' && !includeLogs) continue;
      try {
        await step(ctx);
      } catch (error) {
        throw new LegacyImportError(
          `import stopped in ${table} (rerun to resume there): ${(error as Error).message}`,
          { cause: error },
        );
      }
      logger.info(`import: ${table} ${dryRun ? 'planned' : 'done'}`);
    }
    report.general(
      'not imported: console access tokens, third-party sign-in links (GitHub, WeChat, …), ' +
        `and ${detection.name}'s other tables (top-ups, tasks, …)`,
    );
    if (!dryRun) {
      // In slices: every node hears of each key (one database row or Redis message per slice).
      const keys = [...ctx.invalidations];
      for (let i = 0; i < keys.length; i += 500) {
        await target.cache.invalidate(keys.slice(i, i + 500));
      }
    }
    return report.build();
  } finally {
    await sourceDb.close();
  }
}
