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
     * A request's bill, all or nothing: the exact cost replaces the hold on the key and its
     * owner, the channel is charged and the consume log written in one transaction, so
     * Σ log quota = used quota holds.
     */
    async recordConsumption(consumption: Consumption): Promise<void> {
      const { quota } = consumption;
      await sequelize.transaction(async (transaction) => {
        await adjustRemaining(consumption, consumption.held - quota, transaction);
        await Token.increment(
          { usedQuota: quota },
          { where: { id: consumption.tokenId }, transaction },
        );
        await Token.update(
          { accessedTime: nowSeconds() },
          { where: { id: consumption.tokenId }, transaction },
        );
        await User.increment(
          { usedQuota: quota, requestCount: 1 },
          { where: { id: consumption.userId }, transaction },
        );
        if (consumption.channelId > 0 && quota !== 0) {
          await Channel.increment(
            { usedQuota: quota },
            { where: { id: consumption.channelId }, transaction },
          );
        }
        await Log.create(toLogRow(consumption.log), { transaction });
        const owner = await User.findByPk(consumption.userId, {
          attributes: ['quota'],
          transaction,
        });
        const reminder = quotaReminder(Number(owner?.quota ?? 0), quota, consumption.remindBelow);
        if (reminder) {
          await Log.create(
            toLogRow({
              userId: consumption.userId,
              username: consumption.log.username ?? '',
              type: LogType.system,
              createdAt: nowSeconds(),
              content: reminder,
            }),
            { transaction },
          );
        }
      });
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
