import { nowSeconds, type Database } from '@chat-api/db';
import { pause, type ScheduledJob } from './job.js';

export const LOG_PRUNE_JOB = 'log-prune';
export const LOG_PRUNE_COUNTS = ['deleted', 'billedRequestsDeleted'] as const;
export type LogPruneCount = (typeof LOG_PRUNE_COUNTS)[number];

/** Hourly: a retention counted in days needs no finer step. */
export const LOG_PRUNE_INTERVAL_SECONDS = 3600;

/** Logs deleted per statement, and the rest between two statements for the proxies' writes. */
const BATCH = 1000;
const BATCH_PAUSE_MS = 50;

/**
 * How long the ids of requests billed without a log are kept: a bill batch whose COMMIT's
 * answer was lost is retried within seconds, and a day covers any database outage between.
 */
const BILLED_REQUEST_DAYS = 1;

export interface LogPruneJobOptions {
  db: Database;
  intervalSeconds?: number;
  batchSize?: number;
}

/**
 * Deletes the consume logs older than LogRetentionDays (0 = keep all), read at each run, in
 * small batches oldest first, so the proxies' bill writes are never locked out for long. Other
 * logs (top-ups, system notes) are kept. Also forgets, the same way, the billed requests
 * (LogConsumeEnabled off) older than a day, and drops expired sessions and emailed codes.
 */
export function logPruneJob(options: LogPruneJobOptions): ScheduledJob<LogPruneCount> {
  const { db } = options;
  const batch = options.batchSize ?? BATCH;
  return {
    name: LOG_PRUNE_JOB,
    intervalSeconds: options.intervalSeconds ?? LOG_PRUNE_INTERVAL_SECONDS,
    countNames: LOG_PRUNE_COUNTS,
    async run({ signal, counts }) {
      await db.repos.sessions.deleteExpired();
      await db.repos.authCodes.deleteExpired();
      /** Runs `prune` until it deletes less than a batch; false when the run was stopped. */
      const inBatches = async (prune: () => Promise<number>, count: LogPruneCount) => {
        for (;;) {
          if (signal.aborted) return false;
          const deleted = await prune();
          counts[count] += deleted;
          if (deleted < batch) return true;
          if (!(await pause(BATCH_PAUSE_MS, signal))) return false;
        }
      };
      const billedBefore = nowSeconds() - BILLED_REQUEST_DAYS * 86_400;
      const finished = await inBatches(
        () => db.repos.billedRequests.prune(billedBefore, batch),
        'billedRequestsDeleted',
      );
      const days = Number((await db.repos.options.effective()).LogRetentionDays);
      if (!finished || !(days > 0)) return;
      const before = nowSeconds() - Math.floor(days * 86_400);
      await inBatches(() => db.repos.logs.pruneConsumeLogs(before, batch), 'deleted');
    },
  };
}
