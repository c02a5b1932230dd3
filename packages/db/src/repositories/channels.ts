import { Op, Transaction, type Sequelize, type WhereOptions } from 'sequelize';
import type { Models } from '../models/index.js';
import { ChannelStatus, type ChannelModel } from '../models/channel.js';
import { CacheKeys } from '../cache/keys.js';
import { keyHint } from '../secrets.js';
import { rebuildAbilities } from './channel-abilities.js';
import { enqueueNotification } from './notifications.js';
import { nowSeconds } from '../time.js';
import { pageWindow, type Invalidate, type Page, type PageRequest } from './types.js';

/** A channel as APIs show it: the upstream key only as a hint. */
export interface Channel {
  id: number;
  type: string;
  name: string;
  keyHint: string;
  status: number;
  weight: number;
  priority: number;
  baseUrl: string;
  models: string[];
  groups: string[];
  modelMapping: Record<string, string>;
  config: Record<string, unknown>;
  createdTime: number;
  testTime: number;
  responseTime: number;
  balance: number;
  balanceUpdatedTime: number;
  usedQuota: number;
}

export interface ChannelInput {
  type: string;
  name: string;
  key: string;
  status?: number;
  weight?: number;
  priority?: number;
  baseUrl?: string;
  models: string[];
  groups?: string[];
  modelMapping?: Record<string, string>;
  config?: Record<string, unknown>;
}

/** For internal use only (upstream calls): the channel with its key. Never return it from an API. */
export interface ChannelWithKey extends Channel {
  key: string;
}

export interface RoutingSnapshot {
  abilities: {
    group: string;
    model: string;
    channelId: number;
    priority: number;
    weight: number;
  }[];
  channels: ChannelWithKey[];
}

export interface ChannelFilter {
  /** Matches the name or base URL, or the id when numeric. Never the key. */
  keyword?: string;
  type?: string;
  status?: number;
}

export interface ChannelTestRecord {
  responseTimeMs: number;
  passed: boolean;
}

/** Why a channel's status changes, for the notification it may send. */
export interface StatusChangeCause {
  /** The error that disabled it, or what re-enabled it. */
  reason: string;
  /** The gateway's own decision (proxy, scheduled test) rather than an administrator's. */
  automatic: boolean;
}

const BY_HAND: StatusChangeCause = { reason: 'changed by an administrator', automatic: false };

// Four characters of a short key would give away too much of it.
const HINT_MIN_KEY_LENGTH = 12;

const splitList = (value: string): string[] => (value ? value.split(',').filter(Boolean) : []);
const parseObject = <T>(json: string | null): T => (json ? (JSON.parse(json) as T) : ({} as T));

function toChannel(row: ChannelModel): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    keyHint: row.key.length >= HINT_MIN_KEY_LENGTH ? keyHint(row.key) : '',
    status: row.status,
    weight: row.weight,
    priority: Number(row.priority),
    baseUrl: row.baseUrl,
    models: splitList(row.models),
    groups: splitList(row.group),
    modelMapping: parseObject(row.modelMapping),
    config: parseObject(row.config),
    createdTime: Number(row.createdTime),
    testTime: Number(row.testTime),
    responseTime: row.responseTime,
    balance: Number(row.balance),
    balanceUpdatedTime: Number(row.balanceUpdatedTime),
    usedQuota: Number(row.usedQuota),
  };
}

function toColumns(input: Partial<ChannelInput>) {
  const { models, groups, modelMapping, config, ...rest } = input;
  return {
    ...rest,
    ...(models ? { models: models.join(',') } : {}),
    ...(groups ? { group: groups.join(',') } : {}),
    ...(modelMapping ? { modelMapping: JSON.stringify(modelMapping) } : {}),
    ...(config ? { config: JSON.stringify(config) } : {}),
  };
}

function filterWhere({ keyword, type, status }: ChannelFilter): WhereOptions {
  const where: WhereOptions[] = [];
  if (type !== undefined) where.push({ type });
  if (status !== undefined) where.push({ status });
  if (keyword) {
    const like = `%${keyword}%`;
    where.push({
      [Op.or]: [
        { name: { [Op.like]: like } },
        { baseUrl: { [Op.like]: like } },
        ...(/^\d+$/.test(keyword) ? [{ id: Number(keyword) }] : []),
      ],
    });
  }
  return { [Op.and]: where };
}

export function channelsRepository(
  sequelize: Sequelize,
  { Channel, Ability, Notification }: Models,
  invalidate: Invalidate,
) {
  const writeAbilities = (row: ChannelModel, transaction: Transaction) =>
    rebuildAbilities(Ability, row, transaction);

  /**
   * Entering auto-disabled, and leaving it for enabled, is notified (notifications.ts), with the
   * change: whoever heard of the outage hears of the recovery. Switches by hand between enabled
   * and disabled are not: the administrator who made them knows.
   */
  async function notifyStatusChange(
    row: ChannelModel,
    before: number,
    cause: StatusChangeCause,
    transaction: Transaction,
  ): Promise<void> {
    const after = row.status;
    const event =
      after === ChannelStatus.autoDisabled && before !== ChannelStatus.autoDisabled
        ? 'channel.disabled'
        : before === ChannelStatus.autoDisabled && after === ChannelStatus.enabled
          ? 'channel.enabled'
          : undefined;
    if (!event) return;
    const data = { channelId: row.id, channelName: row.name, ...cause };
    await enqueueNotification(Notification, { event, data }, transaction);
  }

  /** The row after the change, or null when no channel (in status `onlyIf`) has this id. */
  async function changeStatus(
    id: number,
    status: number,
    onlyIf: number | undefined,
    cause: StatusChangeCause,
    transaction: Transaction,
  ): Promise<ChannelModel | null> {
    // Locked, so a concurrent manual disable cannot be overwritten by a stale re-enable.
    const row = await Channel.findOne({
      where: onlyIf === undefined ? { id } : { id, status: onlyIf },
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!row) return null;
    if (row.status !== status) {
      const before = row.status;
      await row.update({ status }, { transaction });
      await writeAbilities(row, transaction);
      await notifyStatusChange(row, before, cause, transaction);
    }
    return row;
  }

  /** All or none, in one transaction (one channel per key of a multi-key form). */
  async function createMany(inputs: ChannelInput[]): Promise<Channel[]> {
    const rows = await sequelize.transaction(async (transaction) => {
      const created: ChannelModel[] = [];
      for (const input of inputs) {
        const row = await Channel.create(
          {
            ...toColumns({ groups: ['default'], ...input }),
            type: input.type,
            name: input.name,
            key: input.key,
            createdTime: nowSeconds(),
          },
          { transaction },
        );
        await writeAbilities(row, transaction);
        created.push(row);
      }
      return created;
    });
    await invalidate([CacheKeys.channels]);
    return rows.map(toChannel);
  }

  return {
    async create(input: ChannelInput): Promise<Channel> {
      const [channel] = await createMany([input]);
      return channel!;
    },

    createMany,

    async get(id: number): Promise<Channel | null> {
      const row = await Channel.findByPk(id);
      return row ? toChannel(row) : null;
    },

    async list(): Promise<Channel[]> {
      return (await Channel.findAll({ order: [['id', 'ASC']] })).map(toChannel);
    },

    /**
     * What the proxy routes with: every enabled channel (with its key) and its enabled
     * abilities, read together so they agree. A read: on SQLite it must not wait for the
     * write lock (transactions there begin IMMEDIATE), which another process may hold.
     */
    async routingSnapshot(): Promise<RoutingSnapshot> {
      return sequelize.transaction({ type: Transaction.TYPES.DEFERRED }, async (transaction) => {
        const abilities = await Ability.findAll({
          where: { enabled: true },
          raw: true,
          transaction,
        });
        const channels = await Channel.findAll({
          where: { status: ChannelStatus.enabled },
          transaction,
        });
        return {
          abilities: abilities.map((a) => ({
            group: a.group,
            model: a.model,
            channelId: a.channelId,
            priority: Number(a.priority),
            weight: a.weight,
          })),
          channels: channels.map((row) => ({ ...toChannel(row), key: row.key })),
        };
      });
    },

    async getWithKey(id: number): Promise<ChannelWithKey | null> {
      const row = await Channel.findByPk(id);
      return row ? { ...toChannel(row), key: row.key } : null;
    },

    /** Newest first. */
    async listPage(request: PageRequest & ChannelFilter): Promise<Page<Channel>> {
      const { rows, count } = await Channel.findAndCountAll({
        where: filterWhere(request),
        order: [['id', 'DESC']],
        ...pageWindow(request),
      });
      return { items: rows.map(toChannel), total: count };
    },

    async update(id: number, patch: Partial<ChannelInput>): Promise<Channel | null> {
      const row = await sequelize.transaction(async (transaction) => {
        const found = await Channel.findByPk(id, { transaction });
        if (!found) return null;
        const before = found.status;
        await found.update(toColumns(patch), { transaction });
        await writeAbilities(found, transaction);
        await notifyStatusChange(found, before, BY_HAND, transaction);
        return found;
      });
      if (row) await invalidate([CacheKeys.channels]);
      return row ? toChannel(row) : null;
    },

    async delete(id: number): Promise<boolean> {
      const deleted = await sequelize.transaction(async (transaction) => {
        await Ability.destroy({ where: { channelId: id }, transaction });
        return Channel.destroy({ where: { id }, transaction });
      });
      await invalidate([CacheKeys.channels]);
      return deleted > 0;
    },

    /**
     * Sets the status, and the abilities' enabled flag with it. With `onlyIf`, only a channel in
     * that status changes (auto-disable only enabled channels; re-enable only auto-disabled ones).
     * False when no channel matched (none with this id, or not in status `onlyIf`). `cause`
     * goes into the notification of an automatic disable or re-enable.
     */
    async setStatus(
      id: number,
      status: number,
      options: { onlyIf?: number; cause?: StatusChangeCause } = {},
    ): Promise<boolean> {
      const row = await sequelize.transaction((transaction) =>
        changeStatus(id, status, options.onlyIf, options.cause ?? BY_HAND, transaction),
      );
      if (row) await invalidate([CacheKeys.channels]);
      return row !== null;
    },

    /** Notes a test's time and latency; a passing test re-enables an auto-disabled channel only. */
    async recordTest(id: number, test: ChannelTestRecord): Promise<Channel | null> {
      const row = await sequelize.transaction(async (transaction) => {
        const found = await Channel.findByPk(id, { transaction });
        if (!found) return null;
        await found.update(
          { testTime: nowSeconds(), responseTime: Math.round(test.responseTimeMs) },
          { transaction },
        );
        const cause = {
          reason: `an administrator's test passed in ${Math.round(test.responseTimeMs)} ms`,
          automatic: false,
        };
        const reenabled = test.passed
          ? await changeStatus(
              id,
              ChannelStatus.enabled,
              ChannelStatus.autoDisabled,
              cause,
              transaction,
            )
          : null;
        return reenabled ?? found;
      });
      if (row) await invalidate([CacheKeys.channels]);
      return row ? toChannel(row) : null;
    },

    /** Notes a test's time and latency only: the scheduled test decides the status itself. */
    async recordTestTime(id: number, responseTimeMs: number): Promise<boolean> {
      const [changed] = await Channel.update(
        { testTime: nowSeconds(), responseTime: Math.round(responseTimeMs) },
        { where: { id } },
      );
      if (changed > 0) await invalidate([CacheKeys.channels]);
      return changed > 0;
    },

    async setBalance(id: number, balance: number): Promise<Channel | null> {
      const row = await Channel.findByPk(id);
      if (!row) return null;
      await row.update({ balance, balanceUpdatedTime: nowSeconds() });
      await invalidate([CacheKeys.channels]);
      return toChannel(row);
    },
  };
}

export type ChannelsRepository = ReturnType<typeof channelsRepository>;
