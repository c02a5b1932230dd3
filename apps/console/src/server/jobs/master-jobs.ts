import type { Database, Logger, RetryPolicy } from '@chat-api/db';
import { balanceJob } from './balance-job.js';
import { channelTestJob } from './channel-test-job.js';
import { logPruneJob } from './log-prune-job.js';
import { notificationJob } from './notification-job.js';
import { createJobScheduler, type JobScheduler, type JobSchedulerOptions } from './scheduler.js';

export interface MasterJobsOptions extends Pick<
  JobSchedulerOptions,
  'leaseMs' | 'abandonAfterMs' | 'now' | 'metrics'
> {
  db: Database;
  logger: Logger;
  /** CHANNEL_TEST_FREQUENCY (or its _SECONDS form); 0 = off. */
  channelTestSeconds: number;
  /** CHANNEL_UPDATE_FREQUENCY (or its _SECONDS form); 0 = off. */
  channelUpdateSeconds: number;
  /** POLLING_INTERVAL. */
  pollingIntervalSeconds: number;
  /** How often consume logs past LogRetentionDays are pruned; hourly unless a test says. */
  logPruneSeconds?: number;
  /** How often the notification outbox is drained; every 5 s unless a test says. */
  notificationSeconds?: number;
  /** How notifications are retried; the outbox's default unless a test says. */
  notificationRetry?: RetryPolicy;
}

/**
 * The master node's periodic jobs: channel tests (auto-disable / re-enable), balance updates,
 * pruning consume logs past their retention, and sending notifications from the outbox.
 */
export function masterJobs(options: MasterJobsOptions): JobScheduler {
  const { db, logger, pollingIntervalSeconds } = options;
  return createJobScheduler({
    leases: db.repos.jobLeases,
    logger,
    jobs: [
      channelTestJob({
        db,
        logger,
        intervalSeconds: options.channelTestSeconds,
        pollingIntervalSeconds,
      }),
      balanceJob({
        db,
        logger,
        intervalSeconds: options.channelUpdateSeconds,
        pollingIntervalSeconds,
      }),
      logPruneJob({ db, intervalSeconds: options.logPruneSeconds }),
      notificationJob({
        db,
        logger,
        intervalSeconds: options.notificationSeconds,
        now: options.now,
        retry: options.notificationRetry,
      }),
    ],
    leaseMs: options.leaseMs,
    abandonAfterMs: options.abandonAfterMs,
    now: options.now,
    metrics: options.metrics,
  });
}
