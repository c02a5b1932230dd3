import { literal, Op, type Sequelize, type Transaction } from 'sequelize';
import { CacheKeys } from '../cache/keys.js';
import type { Models } from '../models/index.js';
import { LogType } from '../models/log.js';
import { TokenStatus } from '../models/token.js';
import { nowSeconds } from '../time.js';
import { toLogRow, type NewLog } from './logs.js';
import type { Invalidate } from './types.js';

/** Whose quota a request spends: the API key (unless unlimited) and always its owner. */
export interface Payer {
  tokenId: number;
  /** The key's hash, to refresh every node's cached copy when its quota or status changes. */
  keyHash: string;
  userId: number;
  /** Unlimited tokens keep their remaining quota; their owner still pays. */
  unlimitedQuota: boolean;
}

export type HoldRefusal = 'token_exhausted' | 'insufficient_user_quota';

export interface Consumption extends Payer {
  channelId: number;
  /** The exact cost. */
  quota: number;
  /** What the request held at admission; settlement charges quota − held more. */
  held: number;
  /** QuotaRemindThreshold: crossing it (or reaching zero) writes the owner a system log. */
  remindBelow: number;
  log: NewLog;
}

/**
 * Quota holds and bills (DESIGN §6). A hold is a conditional update — it succeeds only while
 * the key's and the owner's remaining quota is above zero — so a burst of concurrent requests
 * on any number of nodes cannot spend far past a quota; the database decides.
 */
export function usageRepository(
  sequelize: Sequelize,
  { Token, User, Channel, Log }: Models,
  invalidate: Invalidate,
) {
  /** Adds `delta` (negative spends) to the key's and the owner's remaining quota. */
  async function adjustRemaining(payer: Payer, delta: number, transaction: Transaction) {
    if (delta === 0) return;
    if (!payer.unlimitedQuota) {
      await Token.increment({ remainQuota: delta }, { where: { id: payer.tokenId }, transaction });
    }
    await User.increment({ quota: delta }, { where: { id: payer.userId }, transaction });
  }

  return {
    /** Reserves `amount` while both quotas are above zero; otherwise says which one is not. */
    async hold(payer: Payer, amount: number): Promise<HoldRefusal | null> {
      const refusal = await sequelize.transaction(
        async (transaction): Promise<HoldRefusal | null> => {
          if (!payer.unlimitedQuota) {
            const [taken] = await Token.update(
              { remainQuota: literal(`remain_quota - ${Math.trunc(amount)}`) as never },
              { where: { id: payer.tokenId, remainQuota: { [Op.gt]: 0 } }, transaction },
            );
            if (taken === 0) {
              // Persist the status the key now has, as One API does.
              await Token.update(
                { status: TokenStatus.exhausted },
                { where: { id: payer.tokenId, status: TokenStatus.enabled }, transaction },
              );
              return 'token_exhausted';
            }
          }
          const [held] = await User.update(
            { quota: literal(`quota - ${Math.trunc(amount)}`) as never },
            { where: { id: payer.userId, quota: { [Op.gt]: 0 } }, transaction },
          );
          if (held === 0) {
            // Undo the key's part; the owner cannot pay.
            if (!payer.unlimitedQuota) {
              await Token.increment(
                { remainQuota: amount },
                { where: { id: payer.tokenId }, transaction },
              );
            }
            return 'insufficient_user_quota';
          }
          return null;
        },
      );
      if (refusal) await invalidate([CacheKeys.token(payer.keyHash), CacheKeys.user(payer.userId)]);
      return refusal;
    },

    /** Gives a hold back: the request failed before any answer was billed. */
    async release(payer: Payer, amount: number): Promise<void> {
      await sequelize.transaction((transaction) => adjustRemaining(payer, amount, transaction));
    },

    /**
     * Bills, all or nothing: each exact cost replaces its hold on the key and its owner, the
     * channels are charged and the consume logs written in one transaction, so Σ log quota =
     * used quota holds. Several bills (BATCH_UPDATE_ENABLED) become one update per row.
     */
    async recordConsumptions(bills: readonly Consumption[]): Promise<void> {
      if (bills.length === 0) return;
      const totals = sumBills(bills);
      const now = nowSeconds();
      await sequelize.transaction(async (transaction) => {
        for (const [id, token] of totals.tokens) {
          await Token.increment(
            { usedQuota: token.used, remainQuota: token.remainDelta },
            { where: { id }, transaction },
          );
          await Token.update({ accessedTime: now }, { where: { id }, transaction });
        }
        for (const [id, user] of totals.users) {
          await User.increment(
            { quota: user.quotaDelta, usedQuota: user.used, requestCount: user.requests },
            { where: { id }, transaction },
          );
        }
        for (const [id, used] of totals.channels) {
          await Channel.increment({ usedQuota: used }, { where: { id }, transaction });
        }
        await Log.bulkCreate(
          bills.map((bill) => toLogRow(bill.log)),
          { transaction },
        );
        for (const [id, user] of totals.users) {
          const owner = await User.findByPk(id, { attributes: ['quota'], transaction });
          const reminder = quotaReminder(Number(owner?.quota ?? 0), user.used, user.remindBelow);
          if (!reminder) continue;
          await Log.create(
            toLogRow({
              userId: id,
              username: user.username,
              type: LogType.system,
              createdAt: now,
              content: reminder,
            }),
            { transaction },
          );
        }
      });
    },

    recordConsumption(bill: Consumption): Promise<void> {
      return this.recordConsumptions([bill]);
    },

    /** Persists that the key expired (shown and enforced already; this keeps the row honest). */
    async markExpired(payer: Payer): Promise<void> {
      const [changed] = await Token.update(
        { status: TokenStatus.expired },
        { where: { id: payer.tokenId, status: TokenStatus.enabled } },
      );
      if (changed > 0) await invalidate([CacheKeys.token(payer.keyHash)]);
    },

    /**
     * Starts a first_use key's clock at its first accepted request, once: of concurrent first
     * requests (on any node) one sets it and all read the same time back.
     */
    async startFirstUse(payer: Payer): Promise<number> {
      await Token.update(
        { firstUsedTime: nowSeconds() },
        { where: { id: payer.tokenId, firstUsedTime: 0 } },
      );
      const row = await Token.findByPk(payer.tokenId, { attributes: ['firstUsedTime'] });
      await invalidate([CacheKeys.token(payer.keyHash)]);
      return Number(row?.firstUsedTime ?? 0);
    },
  };
}

interface BillTotals {
  tokens: Map<number, { used: number; remainDelta: number }>;
  users: Map<
    number,
    { used: number; quotaDelta: number; requests: number; username: string; remindBelow: number }
  >;
  channels: Map<number, number>;
}

/** Per row, what a set of bills changes. */
function sumBills(bills: readonly Consumption[]): BillTotals {
  const totals: BillTotals = { tokens: new Map(), users: new Map(), channels: new Map() };
  for (const bill of bills) {
    // The exact cost replaces the hold: hand back held − quota (negative when it cost more).
    const refund = bill.held - bill.quota;
    const token = totals.tokens.get(bill.tokenId) ?? { used: 0, remainDelta: 0 };
    token.used += bill.quota;
    if (!bill.unlimitedQuota) token.remainDelta += refund;
    totals.tokens.set(bill.tokenId, token);
    const user = totals.users.get(bill.userId) ?? {
      used: 0,
      quotaDelta: 0,
      requests: 0,
      username: bill.log.username ?? '',
      remindBelow: bill.remindBelow,
    };
    user.used += bill.quota;
    user.quotaDelta += refund;
    user.requests += 1;
    totals.users.set(bill.userId, user);
    if (bill.channelId > 0 && bill.quota !== 0) {
      totals.channels.set(bill.channelId, (totals.channels.get(bill.channelId) ?? 0) + bill.quota);
    }
  }
  return totals;
}

/** The reminder for an owner whose quota this request took past the threshold or to zero. */
export function quotaReminder(after: number, spent: number, threshold: number): string | undefined {
  const before = after + spent;
  if (before > 0 && after <= 0)
    return 'Your quota is used up: requests will be refused until it is topped up.';
  if (before > threshold && after <= threshold) {
    return `Your remaining quota (${after}) has fallen below the reminder threshold of ${threshold}.`;
  }
  return undefined;
}

export type UsageRepository = ReturnType<typeof usageRepository>;
