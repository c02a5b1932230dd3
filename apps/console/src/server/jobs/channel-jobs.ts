import type { Database, Logger } from '@chat-api/db';
import { balanceJob } from './balance-job.js';
import { channelTestJob } from './channel-test-job.js';
import { createJobScheduler, type JobScheduler, type JobSchedulerOptions } from './scheduler.js';

export interface ChannelJobsOptions extends Pick<
  JobSchedulerOptions,
  'leaseMs' | 'abandonAfterMs' | 'now'
> {
  db: Database;
  logger: Logger;
  /** CHANNEL_TEST_FREQUENCY (or its _SECONDS form); 0 = off. */
  channelTestSeconds: number;
  /** CHANNEL_UPDATE_FREQUENCY (or its _SECONDS form); 0 = off. */
  channelUpdateSeconds: number;
  /** POLLING_INTERVAL. */
  pollingIntervalSeconds: number;
}

/** The master node's channel jobs: tests (auto-disable / re-enable) and balance updates. */
export function channelJobs(options: ChannelJobsOptions): JobScheduler {
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
    ],
    leaseMs: options.leaseMs,
    abandonAfterMs: options.abandonAfterMs,
    now: options.now,
  });
}
