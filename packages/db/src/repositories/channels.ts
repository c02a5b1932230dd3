import type { Sequelize, Transaction } from 'sequelize';
import type { Models } from '../models/index.js';
import { ChannelStatus, type ChannelModel } from '../models/channel.js';
import { CacheKeys } from '../cache/keys.js';
import { keyHint } from '../secrets.js';
import { nowSeconds } from '../time.js';
import type { Invalidate } from './types.js';

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

const splitList = (value: string): string[] => (value ? value.split(',').filter(Boolean) : []);
const parseObject = <T>(json: string | null): T => (json ? (JSON.parse(json) as T) : ({} as T));

function toChannel(row: ChannelModel): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    keyHint: keyHint(row.key),
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

export function channelsRepository(
  sequelize: Sequelize,
  { Channel, Ability }: Models,
  invalidate: Invalidate,
) {
  /** Abilities mirror the channel (group × model), rewritten with it in one transaction. */
  async function rebuildAbilities(row: ChannelModel, transaction: Transaction): Promise<void> {
    await Ability.destroy({ where: { channelId: row.id }, transaction });
    const groups = splitList(row.group);
    const models = [...new Set(splitList(row.models))];
    const abilities = groups.flatMap((group) =>
      models.map((model) => ({
        group,
        model,
        channelId: row.id,
        enabled: row.status === ChannelStatus.enabled,
        priority: Number(row.priority),
        weight: row.weight,
      })),
    );
    if (abilities.length > 0) await Ability.bulkCreate(abilities, { transaction });
  }

  return {
    async create(input: ChannelInput): Promise<Channel> {
      const row = await sequelize.transaction(async (transaction) => {
        const created = await Channel.create(
          {
            ...toColumns({ groups: ['default'], ...input }),
            type: input.type,
            name: input.name,
            key: input.key,
            createdTime: nowSeconds(),
          },
          { transaction },
        );
        await rebuildAbilities(created, transaction);
        return created;
      });
      await invalidate([CacheKeys.channels]);
      return toChannel(row);
    },

    async get(id: number): Promise<Channel | null> {
      const row = await Channel.findByPk(id);
      return row ? toChannel(row) : null;
    },

    async list(): Promise<Channel[]> {
      return (await Channel.findAll({ order: [['id', 'ASC']] })).map(toChannel);
    },

    async update(id: number, patch: Partial<ChannelInput>): Promise<Channel | null> {
      const row = await sequelize.transaction(async (transaction) => {
        const found = await Channel.findByPk(id, { transaction });
        if (!found) return null;
        await found.update(toColumns(patch), { transaction });
        await rebuildAbilities(found, transaction);
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
  };
}

export type ChannelsRepository = ReturnType<typeof channelsRepository>;
