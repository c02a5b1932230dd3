import { Op, type Sequelize, type Transaction, type WhereOptions } from 'sequelize';
import type { Models } from '../models/index.js';
import { Role, type UserModel } from '../models/user.js';
import { CacheKeys } from '../cache/keys.js';
import { UniqueViolationError } from '../errors.js';
import { LogType } from '../models/log.js';
import {
  hashPassword,
  needsRehash,
  randomAlphanumeric,
  sha256Hex,
  verifyPassword,
} from '../secrets.js';
import { nowSeconds } from '../time.js';
import { mapUniqueViolation } from '../unique-violation.js';
import { requestLimitsOf, type RequestLimitFields } from './request-limit-fields.js';
import { pageWindow, type Invalidate, type Page, type PageRequest } from './types.js';

/** A user as every API may show it: no password hash, no access token hash. */
export interface User extends RequestLimitFields {
  id: number;
  username: string;
  displayName: string;
  role: number;
  status: number;
  email: string;
  quota: number;
  usedQuota: number;
  requestCount: number;
  group: string;
  affCode: string | null;
  inviterId: number | null;
  mustChangePassword: boolean;
  createdTime: number;
}

export interface NewUser extends Partial<RequestLimitFields> {
  username: string;
  password: string;
  displayName?: string;
  /** A verified address (sign-up with an emailed code, or a provider's); empty when none. */
  email?: string;
  role?: number;
  group?: string;
  quota?: number;
  inviterId?: number;
  mustChangePassword?: boolean;
}

export type UserPatch = Partial<
  Pick<
    User,
    'displayName' | 'role' | 'status' | 'email' | 'group' | 'quota' | keyof RequestLimitFields
  >
> & {
  /** Added to (or, negative, taken from) the current quota atomically. */
  addQuota?: number;
  password?: string;
};

export interface RegistrationQuotas {
  forNewUser: number;
  forInvitee: number;
  forInviter: number;
}

export type UserSort = 'id' | 'quota' | 'usedQuota' | 'requestCount';

// A real scrypt hash of a random password, so an unknown username costs as much as a wrong password.
const dummyHash = hashPassword(randomAlphanumeric(16));

function toUser(row: UserModel): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    status: row.status,
    email: row.email,
    quota: Number(row.quota),
    usedQuota: Number(row.usedQuota),
    requestCount: row.requestCount,
    group: row.group,
    affCode: row.affCode,
    inviterId: row.inviterId,
    mustChangePassword: Boolean(row.mustChangePassword),
    createdTime: Number(row.createdTime),
    ...requestLimitsOf(row),
  };
}

export function usersRepository(
  sequelize: Sequelize,
  { User, Token, Session, Log, UserIdentity }: Models,
  invalidate: Invalidate,
) {
  async function systemLog(
    user: { id: number; username: string },
    type: number,
    content: string,
    quota: number,
    transaction: Transaction,
  ): Promise<void> {
    await Log.create(
      { userId: user.id, username: user.username, type, content, quota, createdAt: nowSeconds() },
      { transaction },
    );
  }

  return {
    async findById(id: number): Promise<User | null> {
      const row = await User.findByPk(id);
      return row ? toUser(row) : null;
    },

    async findByUsername(username: string): Promise<User | null> {
      const row = await User.findOne({ where: { username } });
      return row ? toUser(row) : null;
    },

    /** The oldest account with this email address, in any letter case. */
    async findByEmail(email: string): Promise<User | null> {
      const row = await User.findOne({
        where: sequelize.where(sequelize.fn('lower', sequelize.col('email')), email.toLowerCase()),
        order: [['id', 'ASC']],
      });
      return row ? toUser(row) : null;
    },

    async findByAccessToken(accessToken: string): Promise<User | null> {
      const row = await User.findOne({ where: { accessTokenHash: sha256Hex(accessToken) } });
      return row ? toUser(row) : null;
    },

    /** The user when the password matches, else null; equally slow either way. */
    async verifyCredentials(username: string, password: string): Promise<User | null> {
      const row = await User.findOne({ where: { username } });
      if (!row) {
        await verifyPassword(password, await dummyHash);
        return null;
      }
      // A user made by third-party sign-in has no password (''): as slow as a wrong one.
      const stored = row.password || (await dummyHash);
      if (!(await verifyPassword(password, stored))) return null;
      // An imported bcrypt hash becomes this gateway's own once the password is known.
      if (needsRehash(row.password)) {
        await User.update({ password: await hashPassword(password) }, { where: { id: row.id } });
      }
      return toUser(row);
    },

    async verifyPassword(id: number, password: string): Promise<boolean> {
      const row = await User.findByPk(id, { attributes: ['password'] });
      return row ? verifyPassword(password, row.password) : false;
    },

    /** Throws UniqueViolationError when the username is taken. */
    async create(input: NewUser): Promise<User> {
      const row = await mapUniqueViolation('users', async () =>
        User.create({
          username: input.username,
          password: await hashPassword(input.password),
          displayName: input.displayName ?? input.username,
          email: input.email ?? '',
          role: input.role ?? Role.common,
          group: input.group ?? 'default',
          quota: input.quota ?? 0,
          inviterId: input.inviterId ?? null,
          mustChangePassword: input.mustChangePassword ?? false,
          rpmLimit: input.rpmLimit ?? 0,
          tpmLimit: input.tpmLimit ?? 0,
          concurrencyLimit: input.concurrencyLimit ?? 0,
          affCode: randomAlphanumeric(8),
          createdTime: nowSeconds(),
        }),
      );
      return toUser(row);
    },

    /** Creates the user unless the username exists (also when another node wins a race). */
    async createIfUsernameFree(input: NewUser): Promise<boolean> {
      try {
        await this.create(input);
        return true;
      } catch (error) {
        if (error instanceof UniqueViolationError) return false;
        throw error;
      }
    },

    async existsWithRole(role: number): Promise<boolean> {
      return (await User.count({ where: { role } })) > 0;
    },

    async list(request: PageRequest & { keyword?: string; sort?: UserSort }): Promise<Page<User>> {
      const where: WhereOptions = request.keyword
        ? {
            [Op.or]: [
              { username: { [Op.like]: `%${request.keyword}%` } },
              { displayName: { [Op.like]: `%${request.keyword}%` } },
              { email: { [Op.like]: `%${request.keyword}%` } },
            ],
          }
        : {};
      const sort = request.sort ?? 'id';
      const { rows, count } = await User.findAndCountAll({
        where,
        order: [
          [sort, sort === 'id' ? 'ASC' : 'DESC'],
          ['id', 'ASC'],
        ],
        ...pageWindow(request),
      });
      return { items: rows.map(toUser), total: count };
    },

    /**
     * Applies an administrator's change; quota changes are logged for the user. A new password
     * ends the user's sessions.
     */
    async update(id: number, patch: UserPatch, actor: { username: string }): Promise<User | null> {
      const { addQuota, password, ...columns } = patch;
      const updated = await sequelize.transaction(async (transaction) => {
        const row = await User.findByPk(id, { transaction });
        if (!row) return null;
        const before = Number(row.quota);
        await row.update(
          {
            ...columns,
            // A password set for the user ends their access token as well as their sessions.
            ...(password === undefined
              ? {}
              : { password: await hashPassword(password), accessTokenHash: null }),
          },
          { transaction },
        );
        if (addQuota) await row.increment({ quota: addQuota }, { transaction });
        await row.reload({ transaction });
        const after = Number(row.quota);
        if (after !== before) {
          await systemLog(
            row,
            LogType.manage,
            `${actor.username} changed the quota from ${before} to ${after}`,
            after - before,
            transaction,
          );
        }
        if (password !== undefined) await Session.destroy({ where: { userId: id }, transaction });
        return row;
      });
      if (updated) await invalidate([CacheKeys.user(id)]);
      return updated ? toUser(updated) : null;
    },

    /**
     * Self-registration: the new user's quota plus the invitation rewards, in one transaction.
     * An unknown invitation code is ignored, as in One API.
     */
    async register(
      input: NewUser & { affCode?: string },
      quotas: RegistrationQuotas,
    ): Promise<User> {
      const row = await mapUniqueViolation('users', () =>
        sequelize.transaction(async (transaction) => {
          const inviter = input.affCode
            ? await User.findOne({ where: { affCode: input.affCode }, transaction })
            : null;
          const created = await User.create(
            {
              username: input.username,
              password: await hashPassword(input.password),
              displayName: input.displayName ?? input.username,
              email: input.email ?? '',
              quota: quotas.forNewUser + (inviter ? quotas.forInvitee : 0),
              inviterId: inviter?.id ?? null,
              affCode: randomAlphanumeric(8),
              createdTime: nowSeconds(),
            },
            { transaction },
          );
          if (inviter && quotas.forInvitee > 0) {
            await systemLog(
              created,
              LogType.system,
              `Invitation bonus: ${quotas.forInvitee} quota`,
              quotas.forInvitee,
              transaction,
            );
          }
          if (inviter && quotas.forInviter > 0) {
            await inviter.increment({ quota: quotas.forInviter }, { transaction });
            await systemLog(
              inviter,
              LogType.system,
              `${created.username} joined with your invitation: ${quotas.forInviter} quota`,
              quotas.forInviter,
              transaction,
            );
          }
          return { created, inviterId: inviter?.id };
        }),
      );
      if (row.inviterId !== undefined) await invalidate([CacheKeys.user(row.inviterId)]);
      return toUser(row.created);
    },

    /** A new password also revokes the account's access token: it was issued under the old one. */
    async changePassword(id: number, newPassword: string): Promise<void> {
      await User.update(
        {
          password: await hashPassword(newPassword),
          mustChangePassword: false,
          accessTokenHash: null,
        },
        { where: { id } },
      );
    },

    /** Issues a new console access token, replacing (and so revoking) the previous one. */
    async rotateAccessToken(id: number): Promise<string> {
      const accessToken = randomAlphanumeric(40);
      await User.update({ accessTokenHash: sha256Hex(accessToken) }, { where: { id } });
      return accessToken;
    },

    /**
     * Deletes the user with their API keys, sessions and third-party sign-ins; their logs stay
     * for the books.
     */
    async delete(id: number): Promise<boolean> {
      const result = await sequelize.transaction(async (transaction) => {
        const tokens = await Token.findAll({
          where: { userId: id },
          attributes: ['keyHash'],
          transaction,
        });
        await Token.destroy({ where: { userId: id }, transaction });
        await Session.destroy({ where: { userId: id }, transaction });
        await UserIdentity.destroy({ where: { userId: id }, transaction });
        const deleted = await User.destroy({ where: { id }, transaction });
        return { deleted, keyHashes: tokens.map((token) => token.keyHash) };
      });
      await invalidate([CacheKeys.user(id), ...result.keyHashes.map(CacheKeys.token)]);
      return result.deleted > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
