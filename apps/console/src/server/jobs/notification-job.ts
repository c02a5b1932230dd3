import type { Database, Logger, Notification, RetryPolicy } from '@chat-api/db';
import { deliver } from '../notifications/deliver.js';
import { createMailer, type Mailer } from '../notifications/mailer.js';
import { notificationSettings } from '../notifications/settings.js';
import type { ScheduledJob } from './job.js';

export const NOTIFICATION_JOB = 'notifications';
export const NOTIFICATION_COUNTS = ['sent', 'retrying', 'failed', 'skipped', 'pruned'] as const;
export type NotificationCount = (typeof NOTIFICATION_COUNTS)[number];

/** Often enough that an outage is heard of within seconds. */
export const NOTIFICATION_INTERVAL_SECONDS = 5;
/** Events per read, and reads per run (the rest waits for the next run). */
const BATCH = 50;
const BATCHES_PER_RUN = 20;
/** Finished events (sent, skipped, given up) are kept this long for a look, then deleted. */
const KEEP_SECONDS = 7 * 86_400;

export interface NotificationJobOptions {
  db: Database;
  logger: Logger;
  intervalSeconds?: number;
  /** The clock retries are timed by (unix ms), the scheduler's; tests move it. */
  now?: () => number;
  retry?: RetryPolicy;
}

/**
 * Drains the notification outbox on the master: every pending event whose time has come goes
 * out by email and webhook (deliver.ts), as the options say at the run's start. A failure is
 * retried with backoff (the outbox repository's policy); an event with nowhere to go is
 * skipped. One run at a time across masters (the job lease), so nothing is sent twice at once.
 */
export function notificationJob(options: NotificationJobOptions): ScheduledJob<NotificationCount> {
  const { db, logger } = options;
  const outbox = db.repos.notifications;
  const clock = options.now ?? Date.now;
  return {
    name: NOTIFICATION_JOB,
    intervalSeconds: options.intervalSeconds ?? NOTIFICATION_INTERVAL_SECONDS,
    countNames: NOTIFICATION_COUNTS,
    async run({ signal, counts }) {
      const now = Math.floor(clock() / 1000);
      const settings = notificationSettings(await db.repos.options.effective());
      let mailer: Mailer | undefined;
      let rootEmail: Promise<string> | undefined;
      const context = {
        settings,
        nowSeconds: now,
        mailer(): Mailer {
          if (!settings.smtp) throw new Error('no SMTPServer');
          return (mailer ??= createMailer(settings.smtp));
        },
        async recipientOf(notification: Notification): Promise<string> {
          // Quota notices go to the user; channel notices to the administrators.
          if (notification.event === 'quota.low' || notification.event === 'quota.exhausted') {
            const user = await db.repos.users.findById(notification.data.userId);
            return user?.email.trim() ?? '';
          }
          return settings.adminEmail || (await (rootEmail ??= outbox.rootEmail()));
        },
      };
      try {
        for (let batch = 0; batch < BATCHES_PER_RUN; batch += 1) {
          const due = await outbox.due({ now, limit: BATCH });
          for (const notification of due) {
            if (signal.aborted) return;
            const delivery = await deliver(notification, context);
            const attempts = notification.attempts + 1;
            const label = `notification #${notification.id} (${notification.event})`;
            if (delivery.outcome === 'skipped') {
              await outbox.markSkipped(notification.id, delivery.reason, now);
              counts.skipped += 1;
            } else if (delivery.outcome === 'sent') {
              await outbox.markSent({
                id: notification.id,
                attempts,
                delivered: delivery.delivered,
                now,
              });
              counts.sent += 1;
            } else {
              const status = await outbox.markFailed({
                id: notification.id,
                attempts,
                error: delivery.error,
                delivered: delivery.delivered,
                now,
                policy: options.retry,
              });
              if (status === 'failed') {
                counts.failed += 1;
                logger.error(
                  `jobs: ${label} given up after ${attempts} attempts: ${delivery.error}`,
                );
              } else {
                counts.retrying += 1;
                logger.warn(`jobs: ${label} will be retried: ${delivery.error}`);
              }
            }
          }
          if (due.length < BATCH) break;
        }
        if (!signal.aborted) counts.pruned += await outbox.prune(now - KEEP_SECONDS, 1000);
      } finally {
        mailer?.close();
      }
    },
  };
}
