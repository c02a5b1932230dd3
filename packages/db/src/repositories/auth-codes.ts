import { Op } from 'sequelize';
import type { AuthCodePurpose } from '../models/auth-code.js';
import type { Models } from '../models/index.js';
import { sha256Hex } from '../secrets.js';
import { nowSeconds } from '../time.js';

/** Wrong guesses a sign-up code survives: 5 of 10^6 codes leaves a guesser no real chance. */
export const MAX_CODE_ATTEMPTS = 5;

export type CodeCheck = 'valid' | 'wrong' | 'missing';

/**
 * Emailed secrets, stored as hashes: a sign-up code per address (the latest replaces the
 * others) and password-reset links per account. Each is taken once: taking deletes the row, and
 * of concurrent takers only the one whose DELETE removed it succeeds.
 */
export function authCodesRepository({ AuthCode }: Models) {
  const hash = (purpose: AuthCodePurpose, secret: string) => sha256Hex(`${purpose}:${secret}`);
  const live = () => ({ expiresTime: { [Op.gt]: nowSeconds() } });

  return {
    async issue(
      purpose: AuthCodePurpose,
      email: string,
      secret: string,
      ttlSeconds: number,
      userId: number | null = null,
    ): Promise<void> {
      const now = nowSeconds();
      await AuthCode.destroy({ where: { purpose, email } });
      await AuthCode.create({
        purpose,
        email,
        userId,
        secretHash: hash(purpose, secret),
        createdTime: now,
        expiresTime: now + ttlSeconds,
      });
    },

    /**
     * Checks the code sent to `email` and, when it is right, takes it (it works once). A wrong
     * guess counts against the code, which is deleted after MAX_CODE_ATTEMPTS.
     */
    async takeCode(purpose: AuthCodePurpose, email: string, code: string): Promise<CodeCheck> {
      const row = await AuthCode.findOne({ where: { purpose, email, ...live() } });
      if (!row) return 'missing';
      if (row.secretHash !== hash(purpose, code)) {
        if (row.attempts + 1 >= MAX_CODE_ATTEMPTS) {
          await AuthCode.destroy({ where: { id: row.id } });
        } else {
          await AuthCode.increment({ attempts: 1 }, { where: { id: row.id } });
        }
        return 'wrong';
      }
      const taken = await AuthCode.destroy({ where: { id: row.id } });
      return taken === 1 ? 'valid' : 'missing';
    },

    /** The account a reset link was sent for, taking the link; null when unknown or expired. */
    async takeLink(purpose: AuthCodePurpose, secret: string): Promise<number | null> {
      const row = await AuthCode.findOne({
        where: { purpose, secretHash: hash(purpose, secret), ...live() },
      });
      if (!row || row.userId === null) return null;
      const taken = await AuthCode.destroy({ where: { id: row.id } });
      return taken === 1 ? row.userId : null;
    },

    /** Every link and code for the account: a new password makes the others pointless. */
    async deleteForUser(userId: number): Promise<void> {
      await AuthCode.destroy({ where: { userId } });
    },

    async deleteExpired(): Promise<number> {
      return AuthCode.destroy({ where: { expiresTime: { [Op.lte]: nowSeconds() } } });
    },
  };
}

export type AuthCodesRepository = ReturnType<typeof authCodesRepository>;
