import { Op, type Sequelize, type WhereOptions } from 'sequelize';
import type { Models } from '../models/index.js';
import { LogType } from '../models/log.js';
import { RedemptionStatus, type RedemptionModel } from '../models/redemption.js';
import { CacheKeys } from '../cache/keys.js';
import { keyHint, randomAlphanumeric, sha256Hex } from '../secrets.js';
import { nowSeconds } from '../time.js';
import { pageWindow, type Invalidate, type Page, type PageRequest } from './types.js';

export interface Redemption {
  id: number;
  userId: number;
  name: string;
  keyHint: string;
  status: number;
  quota: number;
  createdTime: number;
  redeemedTime: number;
  usedUserId: number;
}

function toRedemption(row: RedemptionModel): Redemption {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    keyHint: row.keyHint,
    status: row.status,
    quota: Number(row.quota),
    createdTime: Number(row.createdTime),
    redeemedTime: Number(row.redeemedTime),
    usedUserId: row.usedUserId,
  };
}

export function redemptionsRepository(
  sequelize: Sequelize,
  { Redemption, User, Log }: Models,
  invalidate: Invalidate,
) {
  return {
    /** Returns the codes once; the database keeps only their hashes. */
    async createBatch(input: {
      creatorId: number;
      name: string;
      quota: number;
      count: number;
    }): Promise<string[]> {
      const keys = Array.from({ length: input.count }, () => randomAlphanumeric(32));
      const now = nowSeconds();
      await Redemption.bulkCreate(
        keys.map((key) => ({
          userId: input.creatorId,
          name: input.name,
          keyHash: sha256Hex(key),
          keyHint: keyHint(key),
          quota: input.quota,
          createdTime: now,
        })),
      );
      return keys;
    },

    /** Newest first, by name; every match when no page is asked for. */
    async list(request: { keyword?: string; page?: PageRequest } = {}): Promise<Page<Redemption>> {
      const where: WhereOptions = request.keyword
        ? { name: { [Op.like]: `%${request.keyword}%` } }
        : {};
      const { rows, count } = await Redemption.findAndCountAll({
        where,
        order: [['id', 'DESC']],
        ...pageWindow(request.page),
      });
      return { items: rows.map(toRedemption), total: count };
    },

    async get(id: number): Promise<Redemption | null> {
      const row = await Redemption.findByPk(id);
      return row ? toRedemption(row) : null;
    },

    async setStatus(id: number, status: number): Promise<boolean> {
      const [count] = await Redemption.update(
        { status },
        { where: { id, status: [RedemptionStatus.enabled, RedemptionStatus.disabled] } },
      );
      return count > 0;
    },

    async delete(id: number): Promise<boolean> {
      return (await Redemption.destroy({ where: { id } })) > 0;
    },

    /**
     * Credits the code's quota to the user, or returns null when the code is unknown, disabled
     * or used. The conditional update lets exactly one of several concurrent redeemers win.
     */
    async redeem(key: string, user: { id: number; username: string }): Promise<number | null> {
      const quota = await sequelize.transaction(async (transaction) => {
        const row = await Redemption.findOne({ where: { keyHash: sha256Hex(key) }, transaction });
        if (!row || row.status !== RedemptionStatus.enabled) return null;
        const now = nowSeconds();
        const [claimed] = await Redemption.update(
          { status: RedemptionStatus.used, usedUserId: user.id, redeemedTime: now },
          { where: { id: row.id, status: RedemptionStatus.enabled }, transaction },
        );
        if (claimed !== 1) return null;
        const amount = Number(row.quota);
        await User.increment({ quota: amount }, { where: { id: user.id }, transaction });
        await Log.create(
          {
            userId: user.id,
            username: user.username,
            type: LogType.topup,
            createdAt: now,
            quota: amount,
            content: `Redeemed code …${row.keyHint} for ${amount} quota`,
          },
          { transaction },
        );
        return amount;
      });
      if (quota !== null) await invalidate([CacheKeys.user(user.id)]);
      return quota;
    },
  };
}

export type RedemptionsRepository = ReturnType<typeof redemptionsRepository>;
