import { Op } from 'sequelize';
import type { Models } from '../models/index.js';
import { randomAlphanumeric, sha256Hex } from '../secrets.js';
import { nowSeconds } from '../time.js';

/** Server-side console sessions: deleting the row ends the login everywhere. */
export function sessionsRepository({ Session }: Models) {
  return {
    /** Returns the secret for the cookie; only its hash is stored. */
    async create(userId: number, ttlSeconds: number): Promise<string> {
      const secret = randomAlphanumeric(43);
      const now = nowSeconds();
      await Session.create({
        id: sha256Hex(secret),
        userId,
        createdTime: now,
        expiresTime: now + ttlSeconds,
      });
      return secret;
    },

    async findUserId(secret: string): Promise<number | null> {
      const row = await Session.findByPk(sha256Hex(secret));
      if (!row || Number(row.expiresTime) <= nowSeconds()) return null;
      return row.userId;
    },

    async delete(secret: string): Promise<void> {
      await Session.destroy({ where: { id: sha256Hex(secret) } });
    },

    /** Ends every session of the user, except the one making the request when given. */
    async deleteForUser(userId: number, exceptSecret?: string): Promise<void> {
      await Session.destroy({
        where: exceptSecret ? { userId, id: { [Op.ne]: sha256Hex(exceptSecret) } } : { userId },
      });
    },

    async deleteExpired(): Promise<number> {
      return Session.destroy({ where: { expiresTime: { [Op.lte]: nowSeconds() } } });
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
