import { literal, Op, type Sequelize } from 'sequelize';
import type { Cache } from '../cache/cache.js';
import { CacheKeys } from '../cache/keys.js';
import type { Models } from '../models/index.js';
import { TokenStatus } from '../models/token.js';
import type { HoldRefusal, Payer } from './usage.js';

/** Refunds of prepaid holds are tried this often before the amount is reported lost. */
const REFUND_ATTEMPTS = 5;
const REFUND_RETRY_MS = 1000;

/** What a node holds on an account: all of it, and the part the database row does not show. */
export interface HeldHere {
  outstanding: number;
  hidden: number;
}

class Refused extends Error {
  constructor(readonly refusal: HoldRefusal) {
    super(refusal);
  }
}

/**
 * Holds taken from the database rows themselves, for a node whose Redis is down (after its own
 * ledger admitted them): every node then admits against the same rows, one conditional UPDATE
 * at a time, so the nodes together pass a key's or owner's quota by one request at most, where
 * per-node ledgers alone would each admit up to the whole balance. The hold is deducted at
 * admission, moved to the exact cost once known, and the bill charges only the rest; a request
 * that fails gets it back.
 *
 * Holds this node took in Redis before the outage count (their bills are on their way); other
 * nodes' are not known here, so requests in flight at the moment Redis went away can pass the
 * quota once more.
 */
export function prepaidHolds(
  sequelize: Sequelize,
  { Token, User }: Pick<Models, 'Token' | 'User'>,
  cache: Cache,
) {
  /**
   * The admission rule (hold-ledger.ts admits()) on the row: what is left after what this node
   * holds that the row does not show covers the hold, or some is left and this node holds
   * nothing else on the account (the request that may pass the quota runs alone). Across nodes
   * the row serialises them: the one that takes the balance to zero is the last admitted.
   */
  const admits = (column: string, { hidden, outstanding }: HeldHere, amount: number) =>
    literal(
      outstanding > 0
        ? `(${column} - ${hidden} >= ${amount})`
        : `(${column} - ${hidden} >= ${amount} OR ${column} - ${hidden} > 0)`,
    );

  /**
   * Takes `delta` more from the key (unless unlimited) and its owner, unconditionally (negative:
   * gives it back); tokens before users, as bills lock them. With `revive`, a key found at zero
   * while the hold was deducted (a bill marked it exhausted) is enabled again if it has quota
   * now; answers whether one was.
   */
  async function deduct(payer: Payer, delta: number, revive = false): Promise<boolean> {
    let revived = 0;
    await sequelize.transaction(async (transaction) => {
      if (!payer.unlimitedQuota) {
        await Token.update(
          { remainQuota: literal(`remain_quota - (${delta})`) },
          { where: { id: payer.tokenId }, transaction },
        );
        if (revive) {
          [revived] = await Token.update(
            { status: TokenStatus.enabled },
            {
              where: {
                id: payer.tokenId,
                status: TokenStatus.exhausted,
                remainQuota: { [Op.gt]: 0 },
              },
              transaction,
            },
          );
        }
      }
      await User.update(
        { quota: literal(`quota - (${delta})`) },
        { where: { id: payer.userId }, transaction },
      );
    });
    return revived > 0;
  }

  async function refundOnce(payer: Payer, amount: number): Promise<void> {
    if (await deduct(payer, -amount, true))
      await cache.invalidate([CacheKeys.token(payer.keyHash)]);
  }

  return {
    /**
     * Deducts `amount` from the key (unless unlimited) and its owner, or names who refused.
     * `heldHere`: what this process holds on an account.
     */
    async take(
      payer: Payer,
      amount: number,
      heldHere: (account: string) => HeldHere,
    ): Promise<HoldRefusal | undefined> {
      checkAmount(amount);
      // Nothing to deduct (a free model): nothing to refuse either.
      if (amount === 0) return undefined;
      try {
        // Tokens before users, as bills lock them: no deadlock with a bill batch.
        await sequelize.transaction(async (transaction) => {
          if (!payer.unlimitedQuota) {
            const tokenHeld = heldHere(CacheKeys.token(payer.keyHash));
            const [changed] = await Token.update(
              { remainQuota: literal(`remain_quota - ${amount}`) },
              {
                where: { id: payer.tokenId, [Op.and]: admits('remain_quota', tokenHeld, amount) },
                transaction,
              },
            );
            if (changed === 0) throw new Refused('token_exhausted');
          }
          const userHeld = heldHere(CacheKeys.user(payer.userId));
          const [changed] = await User.update(
            { quota: literal(`quota - ${amount}`) },
            {
              where: { id: payer.userId, [Op.and]: admits('quota', userHeld, amount) },
              transaction,
            },
          );
          if (changed === 0) throw new Refused('insufficient_user_quota');
        });
        return undefined;
      } catch (error) {
        if (error instanceof Refused) return error.refusal;
        throw error;
      }
    },

    /**
     * Moves a prepaid hold to the request's exact cost as soon as it is known (`delta` more, or
     * given back when negative), so other nodes' admissions count it before the bill is
     * written. True when the database took it; otherwise the bill settles the difference.
     */
    async adjust(payer: Payer, delta: number): Promise<boolean> {
      if (!Number.isSafeInteger(delta)) throw new RangeError(`quota: cannot adjust by ${delta}`);
      try {
        await deduct(payer, delta);
        return true;
      } catch (error) {
        cache.logger.warn(`quota: cannot adjust a prepaid hold (${(error as Error).message})`);
        return false;
      }
    },

    /**
     * Gives a failed request's prepaid hold back, retrying through a database blip; after the
     * last attempt the owner has lost it (never the operator: nothing was overspent), reported.
     */
    async refund(payer: Payer, amount: number): Promise<void> {
      checkAmount(amount);
      for (let attempt = 1; ; attempt++) {
        try {
          return await refundOnce(payer, amount);
        } catch (error) {
          if (attempt === REFUND_ATTEMPTS) {
            cache.logger.error(
              `quota: cannot give back ${amount} held from key ${payer.tokenId} / user ${payer.userId} (${(error as Error).message})`,
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, REFUND_RETRY_MS));
        }
      }
    },
  };
}

/** Written into SQL: a whole, non-negative number, never anything else. */
function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`quota: cannot prepay ${amount} (not a whole, non-negative quota)`);
  }
}
