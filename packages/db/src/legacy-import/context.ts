import type { Transaction } from 'sequelize';
import type { Logger } from '../cache/logger.js';
import type { Database } from '../database.js';
import type { Detection } from './detect.js';
import type { IdMap } from './id-map.js';
import type { ReportBuilder } from './report.js';
import type { SourceDatabase } from './source.js';
import { int, type SourceRow } from './values.js';

/** What every table's import shares. */
export interface ImportContext {
  target: Database;
  source: SourceDatabase;
  detection: Detection;
  dryRun: boolean;
  logger: Logger;
  report: ReportBuilder;
  ids: IdMap;
  now: number;
  /** Cache keys every node drops once the import has committed. */
  invalidations: Set<string>;
}

const BATCH_SIZE = 500;

class DryRunRollback extends Error {}

/** A transaction on the target, rolled back in a dry run: what it plans is reported, not kept. */
export async function inTransaction(
  ctx: ImportContext,
  work: (transaction: Transaction) => Promise<void>,
): Promise<void> {
  try {
    await ctx.target.sequelize.transaction(async (transaction) => {
      await work(transaction);
      if (ctx.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
}

/**
 * Reads a source table by id, a batch per target transaction: a crash loses at most the batch
 * in progress, and the next run resumes after the last committed one. `beforeBatch` and
 * `afterBatch` run in the batch's transaction, around its rows.
 */
export async function forEachBatch(
  ctx: ImportContext,
  table: string,
  handle: (row: SourceRow, transaction: Transaction) => Promise<void>,
  beforeBatch?: (rows: SourceRow[], transaction: Transaction) => Promise<void>,
  afterBatch?: (transaction: Transaction) => Promise<void>,
): Promise<void> {
  let afterId = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = await ctx.source.page(table, afterId, BATCH_SIZE);
    const last = rows.at(-1);
    if (!last) return;
    await inTransaction(ctx, async (transaction) => {
      await beforeBatch?.(rows, transaction);
      for (const row of rows) await handle(row, transaction);
      await afterBatch?.(transaction);
    });
    afterId = int(last, 'id');
  }
}
