import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import { LogType } from '../models/log.js';
import { TopUpStatus, type TopUpModel, type TopUpStatusName } from '../models/top-up.js';
import { CacheKeys } from '../cache/keys.js';
import { nowSeconds } from '../time.js';
import { pageWindow, type Invalidate, type Page, type PageRequest } from './types.js';

export interface TopUp {
  id: number;
  userId: number;
  stripeSessionId: string;
  units: number;
  quota: number;
  /** In the currency's minor units (cents), as Stripe charges it. */
  amount: number;
  currency: string;
  status: TopUpStatusName;
  createdTime: number;
  creditedTime: number;
}

export type NewTopUp = Pick<
  TopUp,
  'userId' | 'stripeSessionId' | 'units' | 'quota' | 'amount' | 'currency'
>;

function toTopUp(row: TopUpModel): TopUp {
  return {
    id: row.id,
    userId: row.userId,
    stripeSessionId: row.stripeSessionId,
    units: row.units,
    quota: Number(row.quota),
    amount: Number(row.amount),
    currency: row.currency,
    status: row.status,
    createdTime: Number(row.createdTime),
    creditedTime: Number(row.creditedTime),
  };
}

export function topUpsRepository(
  sequelize: Sequelize,
  { TopUp, User, Log }: Models,
  invalidate: Invalidate,
) {
  return {
    /** The row of a Checkout Session just created; credited later by the webhook. */
    async createPending(input: NewTopUp): Promise<TopUp> {
      const row = await TopUp.create({ ...input, createdTime: nowSeconds() });
      return toTopUp(row);
    },

    /** Newest first, with the owner's username; one user's when userId is given. */
    async list(
      request: { userId?: number; page?: PageRequest } = {},
    ): Promise<Page<TopUp & { username: string }>> {
      const { rows, count } = await TopUp.findAndCountAll({
        where: request.userId === undefined ? {} : { userId: request.userId },
        order: [['id', 'DESC']],
        ...pageWindow(request.page),
      });
      const userIds = [...new Set(rows.map((row) => row.userId))];
      const users = userIds.length
        ? await User.findAll({ where: { id: userIds }, attributes: ['id', 'username'] })
        : [];
      const names = new Map(users.map((user) => [user.id, user.username]));
      return {
        items: rows.map((row) => ({ ...toTopUp(row), username: names.get(row.userId) ?? '' })),
        total: count,
      };
    },

    /**
     * Credits a paid session's quota to its user, once: of any number of deliveries of the
     * payment event (repeated or concurrent, on any node), only the one whose conditional
     * UPDATE flips the row from pending to credited adds the quota and writes the top-up log,
     * in the same transaction. Returns the credited top-up, or null when the session is
     * unknown, already credited or expired.
     */
    async credit(
      stripeSessionId: string,
      describe: (topUp: TopUp) => string,
    ): Promise<TopUp | null> {
      const credited = await sequelize.transaction(async (transaction) => {
        const now = nowSeconds();
        const [claimed] = await TopUp.update(
          { status: TopUpStatus.credited, creditedTime: now },
          { where: { stripeSessionId, status: TopUpStatus.pending }, transaction },
        );
        if (claimed !== 1) return null;
        // Read after the row is ours: its user and quota cannot change under us any more.
        const row = await TopUp.findOne({ where: { stripeSessionId }, transaction });
        if (!row) return null;
        const topUp = toTopUp(row);
        await User.increment({ quota: topUp.quota }, { where: { id: topUp.userId }, transaction });
        const user = await User.findByPk(topUp.userId, { attributes: ['username'], transaction });
        await Log.create(
          {
            userId: topUp.userId,
            username: user?.username ?? '',
            type: LogType.topup,
            createdAt: now,
            quota: topUp.quota,
            content: describe(topUp),
          },
          { transaction },
        );
        return topUp;
      });
      if (credited) await invalidate([CacheKeys.user(credited.userId)]);
      return credited;
    },

    /** Marks a pending session closed without payment; false when it is not pending. */
    async expire(stripeSessionId: string): Promise<boolean> {
      const [count] = await TopUp.update(
        { status: TopUpStatus.expired },
        { where: { stripeSessionId, status: TopUpStatus.pending } },
      );
      return count === 1;
    },
  };
}

export type TopUpsRepository = ReturnType<typeof topUpsRepository>;
