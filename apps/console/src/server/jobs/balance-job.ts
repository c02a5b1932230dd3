import { ChannelStatus, type Database, type Logger } from '@chat-api/db';
import { BalanceNotSupportedError } from '@chat-api/providers';
import { fetchBalance } from '@chat-api/providers/admin';
import { UPSTREAM_TIMEOUT_MS } from '../upstream-timeout.js';
import { pause, type ScheduledJob } from './job.js';

export const BALANCE_JOB = 'channel-balance';
export const BALANCE_COUNTS = ['updated', 'failed'] as const;
export type BalanceCount = (typeof BALANCE_COUNTS)[number];

export interface BalanceJobOptions {
  db: Database;
  logger: Logger;
  intervalSeconds: number;
  /** POLLING_INTERVAL: the pause between two channels asked for their balance. */
  pollingIntervalSeconds: number;
}

/**
 * Refreshes the balance of every enabled and auto-disabled channel whose type reports one, as
 * the console's Refresh balance button does; types without a balance endpoint are skipped
 * without a request (and without a pause).
 */
export function balanceJob(options: BalanceJobOptions): ScheduledJob<BalanceCount> {
  const { db, logger } = options;
  const channels = db.repos.channels;
  return {
    name: BALANCE_JOB,
    intervalSeconds: options.intervalSeconds,
    countNames: BALANCE_COUNTS,
    async run({ signal, counts }) {
      const ids = (await channels.list())
        .filter((channel) => channel.status !== ChannelStatus.manuallyDisabled)
        .map((channel) => channel.id);
      // One pause between two channels asked, however many were skipped in between.
      let pauseOwed = false;
      for (const id of ids) {
        if (pauseOwed && !(await pause(options.pollingIntervalSeconds * 1000, signal))) return;
        pauseOwed = false;
        if (signal.aborted) return;
        const channel = await channels.getWithKey(id);
        if (!channel || channel.status === ChannelStatus.manuallyDisabled) continue;
        const outcome = await fetchBalance(channel, { timeoutMs: UPSTREAM_TIMEOUT_MS }).then(
          (balance) => ({ balance }),
          (error: unknown) => ({ error }),
        );
        // Refused before any request.
        if ('error' in outcome && outcome.error instanceof BalanceNotSupportedError) continue;
        pauseOwed = true;
        if (signal.aborted) return;
        if ('error' in outcome) {
          counts.failed += 1;
          // fetchBalance's errors are already free of the key.
          const why =
            outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          logger.warn(
            `jobs: cannot update the balance of channel #${id} (${channel.name}): ${why}`,
          );
          continue;
        }
        if (await channels.setBalance(id, outcome.balance)) counts.updated += 1;
      }
    },
  };
}
