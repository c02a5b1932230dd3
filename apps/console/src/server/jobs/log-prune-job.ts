import { nowSeconds, type Database } from '@chat-api/db';
import { pause, type ScheduledJob } from './job.js';

export const LOG_PRUNE_JOB = 'log-prune';
export const LOG_PRUNE_COUNTS = ['deleted'] as const;
export type LogPruneCount = (typeof LOG_PRUNE_COUNTS)[number];

/** Hourly: a retention counted in days needs no finer step. */
export const LOG_PRUNE_INTERVAL_SECONDS = 3600;

/** Logs deleted per statement, and the rest between two statements for the proxies' writes. */
const BATCH = 1000;
const BATCH_PAUSE_MS = 50;

export interface LogPruneJobOptions {
  db: Database;
  intervalSeconds?: number;
  batchSize?: number;
}

/**
 * Deletes the consume logs older than LogRetentionDays (0 = keep all), read at each run, in
 * small batches oldest first, so the proxies' bill writes are never locked out for long. Other
 * logs (top-ups, system notes) are kept.
 */
export function logPruneJob(options: LogPruneJobOptions): ScheduledJob<LogPruneCount> {
  const { db } = options;
  const batch = options.batchSize ?? BATCH;
  return {
    name: LOG_PRUNE_JOB,
    intervalSeconds: options.intervalSeconds ?? LOG_PRUNE_INTERVAL_SECONDS,
    countNames: LOG_PRUNE_COUNTS,
    async run({ signal, counts }) {
      const days = Number((await db.repos.options.effective()).LogRetentionDays);
      if (!(days > 0)) return;
      const before = nowSeconds() - Math.floor(days * 86_400);
      for (;;) {
        if (signal.aborted) return;
        const deleted = await db.repos.logs.pruneConsumeLogs(before, batch);
        counts.deleted += deleted;
        if (deleted < batch) return;
        if (!(await pause(BATCH_PAUSE_MS, signal))) return;
      }
    },
  };
}
