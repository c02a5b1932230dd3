import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import { nowSeconds } from '../time.js';
import { toLogRow, type NewLog } from './logs.js';

export interface Consumption {
  tokenId: number;
  userId: number;
  channelId: number;
  quota: number;
  /** Unlimited tokens keep their remaining quota; their owner still pays. */
  unlimitedQuota: boolean;
  log: NewLog;
}

/**
 * A request's bill, all or nothing: the token, its owner and the channel are charged and the
 * consume log is written in one transaction, so Σ log quota = used quota holds (DESIGN §6).
 */
export function usageRepository(sequelize: Sequelize, { Token, User, Channel, Log }: Models) {
  return {
    async recordConsumption(consumption: Consumption): Promise<void> {
      const { quota } = consumption;
      await sequelize.transaction(async (transaction) => {
        await Token.increment(
          consumption.unlimitedQuota
            ? { usedQuota: quota }
            : { usedQuota: quota, remainQuota: -quota },
          { where: { id: consumption.tokenId }, transaction },
        );
        await Token.update(
          { accessedTime: nowSeconds() },
          { where: { id: consumption.tokenId }, transaction },
        );
        await User.increment(
          { quota: -quota, usedQuota: quota, requestCount: 1 },
          { where: { id: consumption.userId }, transaction },
        );
        if (consumption.channelId > 0 && quota !== 0) {
          await Channel.increment(
            { usedQuota: quota },
            { where: { id: consumption.channelId }, transaction },
          );
        }
        await Log.create(toLogRow(consumption.log), { transaction });
      });
    },
  };
}

export type UsageRepository = ReturnType<typeof usageRepository>;
