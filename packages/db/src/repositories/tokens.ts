import { Op, type WhereOptions } from 'sequelize';
import type { Models } from '../models/index.js';
import type { ExpiryMode, TokenModel } from '../models/token.js';
import { CacheKeys } from '../cache/keys.js';
import { generateApiKey, keyHint, sha256Hex } from '../secrets.js';
import { nowSeconds } from '../time.js';
import { mapUniqueViolation } from '../unique-violation.js';
import { requestLimitsOf, type RequestLimitFields } from './request-limit-fields.js';
import { pageWindow, type Invalidate, type Page, type PageRequest } from './types.js';

/** An API key's settings as APIs show them: never the key, never its hash. */
export interface Token extends RequestLimitFields {
  id: number;
  userId: number;
  name: string;
  keyHint: string;
  status: number;
  createdTime: number;
  accessedTime: number;
  expiredTime: number;
  expiryMode: ExpiryMode;
  durationSeconds: number;
  firstUsedTime: number;
  remainQuota: number;
  unlimitedQuota: boolean;
  usedQuota: number;
  models: string[];
  subnets: string[];
  group: string;
}

export type TokenSettings = Partial<
  Pick<
    Token,
    | 'name'
    | 'status'
    | 'expiredTime'
    | 'expiryMode'
    | 'durationSeconds'
    | 'remainQuota'
    | 'unlimitedQuota'
    | 'models'
    | 'subnets'
    | 'group'
    | keyof RequestLimitFields
  >
>;

const splitList = (value: string): string[] => (value ? value.split(',').filter(Boolean) : []);

function toToken(row: TokenModel): Token {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    keyHint: row.keyHint,
    status: row.status,
    createdTime: Number(row.createdTime),
    accessedTime: Number(row.accessedTime),
    expiredTime: Number(row.expiredTime),
    expiryMode: row.expiryMode,
    durationSeconds: Number(row.durationSeconds),
    firstUsedTime: Number(row.firstUsedTime),
    remainQuota: Number(row.remainQuota),
    unlimitedQuota: Boolean(row.unlimitedQuota),
    usedQuota: Number(row.usedQuota),
    models: splitList(row.models),
    subnets: splitList(row.subnets),
    group: row.group,
    ...requestLimitsOf(row),
  };
}

function toColumns(settings: TokenSettings) {
  const { models, subnets, ...rest } = settings;
  return {
    ...rest,
    ...(models ? { models: models.join(',') } : {}),
    ...(subnets ? { subnets: subnets.join(',') } : {}),
  };
}

export function tokensRepository({ Token }: Models, invalidate: Invalidate) {
  const invalidateRow = (row: TokenModel) => invalidate([CacheKeys.token(row.keyHash)]);
  // ownerId undefined = an admin acting on any user's token.
  const findOwned = (id: number, ownerId: number | undefined) =>
    Token.findOne({ where: ownerId === undefined ? { id } : { id, userId: ownerId } });

  return {
    /** Returns the key once; the database keeps only its hash. */
    async create(userId: number, settings: TokenSettings & { name: string }) {
      const key = generateApiKey();
      const row = await mapUniqueViolation('tokens', () =>
        Token.create({
          ...toColumns(settings),
          name: settings.name,
          userId,
          keyHash: sha256Hex(key),
          keyHint: keyHint(key),
          createdTime: nowSeconds(),
        }),
      );
      return { token: toToken(row), key };
    },

    /** The proxy's lookup: by the presented key. */
    async findByKey(key: string): Promise<Token | null> {
      const row = await Token.findOne({ where: { keyHash: sha256Hex(key) } });
      return row ? toToken(row) : null;
    },

    /** A token by id, restricted to one owner unless ownerId is undefined (admins). */
    async get(id: number, ownerId?: number): Promise<Token | null> {
      const row = await findOwned(id, ownerId);
      return row ? toToken(row) : null;
    },

    async listByUser(userId: number): Promise<Token[]> {
      const rows = await Token.findAll({ where: { userId }, order: [['id', 'DESC']] });
      return rows.map(toToken);
    },

    /** One user's tokens, newest first, by name; every match when no page is asked for. */
    async list(request: {
      userId: number;
      keyword?: string;
      page?: PageRequest;
    }): Promise<Page<Token>> {
      const where: WhereOptions = request.keyword
        ? { userId: request.userId, name: { [Op.like]: `%${request.keyword}%` } }
        : { userId: request.userId };
      const { rows, count } = await Token.findAndCountAll({
        where,
        order: [['id', 'DESC']],
        ...pageWindow(request.page),
      });
      return { items: rows.map(toToken), total: count };
    },

    async update(
      id: number,
      ownerId: number | undefined,
      settings: TokenSettings,
    ): Promise<Token | null> {
      const row = await findOwned(id, ownerId);
      if (!row) return null;
      await row.update(toColumns(settings));
      await invalidateRow(row);
      return toToken(row);
    },

    /** A new key for the same token; the old key stops working on every node. */
    async regenerateKey(id: number, ownerId: number | undefined): Promise<string | null> {
      const row = await findOwned(id, ownerId);
      if (!row) return null;
      const oldHash = row.keyHash;
      const key = generateApiKey();
      await row.update({ keyHash: sha256Hex(key), keyHint: keyHint(key) });
      await invalidate([CacheKeys.token(oldHash)]);
      return key;
    },

    async delete(id: number, ownerId: number | undefined): Promise<boolean> {
      const row = await findOwned(id, ownerId);
      if (!row) return false;
      await row.destroy();
      await invalidateRow(row);
      return true;
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;
