import { Op, type Transaction } from 'sequelize';
import type { Models } from '../models/index.js';
import { Role } from '../models/user.js';
import {
  NotificationStatus,
  type NotificationModel,
  type NotificationStatus as Status,
} from '../models/notification.js';
import { nowSeconds } from '../time.js';

/**
 * The notification outbox. Events are enqueued in the transaction of the change they tell of
 * (a channel's status, a bill taking a user's quota past QuotaRemindThreshold), so they are
 * written exactly when the change is; the master's sender delivers them later, away from any
 * request, retrying failures with a capped exponential backoff. One sender runs at a time (a
 * job lease), so rows need no locking of their own.
 */

/** A channel entering or leaving auto-disabled. */
export interface ChannelNotice {
  channelId: number;
  channelName: string;
  /** The failing test's or upstream's error, or what re-enabled it. */
  reason: string;
  /** Done by the gateway itself (proxy, scheduled test), not by an administrator's hand. */
  automatic: boolean;
}

/** A bill taking a user's remaining quota to or below QuotaRemindThreshold (or to zero). */
export interface QuotaNotice {
  userId: number;
  username: string;
  remainingQuota: number;
  threshold: number;
}

export type NotificationEvent =
  | { event: 'channel.disabled' | 'channel.enabled'; data: ChannelNotice }
  | { event: 'quota.low' | 'quota.exhausted'; data: QuotaNotice };

export type NotificationEventName = NotificationEvent['event'];

export type Notification = NotificationEvent & {
  id: number;
  /** Unix seconds: when the change happened. */
  createdAt: number;
  status: Status;
  attempts: number;
  nextAttemptAt: number;
  /** Targets (e.g. 'email', 'webhook') that have it already. */
  delivered: string[];
  /** When it was sent, skipped or given up; 0 while pending. */
  sentAt: number;
  lastError: string | null;
};

/** How failed deliveries are retried. */
export interface RetryPolicy {
  /** Attempts before giving up (the row is kept as failed, with the last error). */
  maxAttempts: number;
  /** Wait after the first failure, doubled after each one, up to maxDelaySeconds. */
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

/** 30 s, 1, 2, 4 … minutes, at most an hour between tries: about 5 hours before giving up. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 12,
  firstDelaySeconds: 30,
  maxDelaySeconds: 3600,
};

/** The wait before the next try, after `attempts` failed ones. */
export function retryDelaySeconds(attempts: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const doubled = policy.firstDelaySeconds * 2 ** Math.max(0, attempts - 1);
  return Math.min(doubled, policy.maxDelaySeconds);
}

/** quota.exhausted at zero, quota.low above it. */
export function quotaNotice(data: QuotaNotice): NotificationEvent {
  return { event: data.remainingQuota <= 0 ? 'quota.exhausted' : 'quota.low', data };
}

/** Writes the event into the outbox as part of `transaction` (the change it tells of). */
export async function enqueueNotification(
  Notification: Models['Notification'],
  notice: NotificationEvent,
  transaction: Transaction,
): Promise<void> {
  await Notification.create(
    { event: notice.event, payload: JSON.stringify(notice.data), createdAt: nowSeconds() },
    { transaction },
  );
}

const splitTargets = (value: string): string[] => (value ? value.split(',') : []);

function toNotification(row: NotificationModel): Notification {
  return {
    id: row.id,
    event: row.event,
    data: JSON.parse(row.payload) as unknown,
    createdAt: Number(row.createdAt),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: Number(row.nextAttemptAt),
    delivered: splitTargets(row.delivered),
    sentAt: Number(row.sentAt),
    lastError: row.lastError,
  } as Notification;
}

export function notificationsRepository({ Notification, User }: Models) {
  const finish = (id: number, status: Status, now: number, extra: Partial<NotificationModel>) =>
    Notification.update(
      { status, sentAt: now, ...extra },
      { where: { id, status: NotificationStatus.pending } },
    );

  return {
    /** Pending events whose next attempt is due, oldest first. */
    async due({ now, limit }: { now: number; limit: number }): Promise<Notification[]> {
      const rows = await Notification.findAll({
        where: { status: NotificationStatus.pending, nextAttemptAt: { [Op.lte]: now } },
        order: [['id', 'ASC']],
        limit,
      });
      return rows.map(toNotification);
    },

    /** Delivered to every target; `attempts` counts this one. */
    async markSent(sent: {
      id: number;
      attempts: number;
      delivered: readonly string[];
      now: number;
    }): Promise<void> {
      const { id, attempts, delivered, now } = sent;
      await finish(id, NotificationStatus.sent, now, { attempts, delivered: delivered.join(',') });
    },

    /** Nowhere to send it: done, and not retried. */
    async markSkipped(id: number, reason: string, now: number): Promise<void> {
      await finish(id, NotificationStatus.skipped, now, { lastError: reason });
    },

    /**
     * A failed attempt (`attempts` counts it): retried after the policy's backoff, only to the
     * targets not yet `delivered`; after the last attempt the row is kept as failed, with the
     * error. Returns the row's new status.
     */
    async markFailed(failure: {
      id: number;
      attempts: number;
      error: string;
      delivered: readonly string[];
      now: number;
      policy?: RetryPolicy;
    }): Promise<Status> {
      const { id, attempts, now } = failure;
      const policy = failure.policy ?? DEFAULT_RETRY;
      const common = {
        attempts,
        lastError: failure.error.slice(0, 2000),
        delivered: failure.delivered.join(','),
      };
      if (attempts >= policy.maxAttempts) {
        await finish(id, NotificationStatus.failed, now, common);
        return NotificationStatus.failed;
      }
      await Notification.update(
        { ...common, nextAttemptAt: now + retryDelaySeconds(attempts, policy) },
        { where: { id, status: NotificationStatus.pending } },
      );
      return NotificationStatus.pending;
    },

    /** Deletes up to `limit` finished events (sent, skipped, failed) finished before `before`. */
    async prune(before: number, limit: number): Promise<number> {
      const rows = await Notification.findAll({
        attributes: ['id'],
        where: {
          status: { [Op.ne]: NotificationStatus.pending },
          sentAt: { [Op.lt]: before },
        },
        order: [['id', 'ASC']],
        limit,
      });
      if (rows.length === 0) return 0;
      return Notification.destroy({ where: { id: rows.map((row) => row.id) } });
    },

    /** Where channel notices go when NotificationEmail is empty: a root user's email ('' if none). */
    async rootEmail(): Promise<string> {
      const root = await User.findOne({
        where: { role: Role.root, email: { [Op.ne]: '' } },
        attributes: ['email'],
        order: [['id', 'ASC']],
      });
      return root?.email ?? '';
    },

    async get(id: number): Promise<Notification | null> {
      const row = await Notification.findByPk(id);
      return row ? toNotification(row) : null;
    },

    /** Newest first. */
    async list(limit = 100): Promise<Notification[]> {
      const rows = await Notification.findAll({ order: [['id', 'DESC']], limit });
      return rows.map(toNotification);
    },
  };
}

export type NotificationsRepository = ReturnType<typeof notificationsRepository>;
