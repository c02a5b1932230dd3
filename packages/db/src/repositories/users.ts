import { Op, type WhereOptions } from 'sequelize';
import type { Models } from '../models/index.js';
import { Role, type UserModel } from '../models/user.js';
import { CacheKeys } from '../cache/keys.js';
import { hashPassword, randomAlphanumeric, sha256Hex, verifyPassword } from '../secrets.js';
import { nowSeconds } from '../time.js';
import { mapUniqueViolation } from '../unique-violation.js';
import type { Invalidate, Page, PageRequest } from './types.js';

/** A user as every API may show it: no password hash, no access token hash. */
export interface User {
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

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  role?: number;
  group?: string;
  quota?: number;
  inviterId?: number;
  mustChangePassword?: boolean;
}

export type UserPatch = Partial<
  Pick<User, 'displayName' | 'role' | 'status' | 'email' | 'group' | 'quota'>
>;

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
  };
}

export function usersRepository({ User }: Models, invalidate: Invalidate) {
  return {
    async findById(id: number): Promise<User | null> {
      const row = await User.findByPk(id);
      return row ? toUser(row) : null;
    },

    async findByUsername(username: string): Promise<User | null> {
      const row = await User.findOne({ where: { username } });
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
      return (await verifyPassword(password, row.password)) ? toUser(row) : null;
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
          role: input.role ?? Role.common,
          group: input.group ?? 'default',
          quota: input.quota ?? 0,
          inviterId: input.inviterId ?? null,
          mustChangePassword: input.mustChangePassword ?? false,
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
        if (error instanceof Error && error.name === 'UniqueViolationError') return false;
        throw error;
      }
    },

    async existsWithRole(role: number): Promise<boolean> {
      return (await User.count({ where: { role } })) > 0;
    },

    async countByRole(role: number): Promise<number> {
      return User.count({ where: { role } });
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
        limit: request.pageSize,
        offset: (request.page - 1) * request.pageSize,
      });
      return { items: rows.map(toUser), total: count };
    },

    async update(id: number, patch: UserPatch): Promise<User | null> {
      const row = await User.findByPk(id);
      if (!row) return null;
      await row.update(patch);
      await invalidate([CacheKeys.user(id)]);
      return toUser(row);
    },

    async changePassword(id: number, newPassword: string): Promise<void> {
      await User.update(
        { password: await hashPassword(newPassword), mustChangePassword: false },
        { where: { id } },
      );
    },

    /** Issues a new console access token, replacing (and so revoking) the previous one. */
    async rotateAccessToken(id: number): Promise<string> {
      const accessToken = randomAlphanumeric(40);
      await User.update({ accessTokenHash: sha256Hex(accessToken) }, { where: { id } });
      return accessToken;
    },

    async delete(id: number): Promise<boolean> {
      const deleted = await User.destroy({ where: { id } });
      await invalidate([CacheKeys.user(id)]);
      return deleted > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
