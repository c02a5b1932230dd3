import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import { CacheKeys } from '../cache/keys.js';
import { withDefaults, type OptionKey } from '../options/definitions.js';
import type { Invalidate } from './types.js';

export function optionsRepository(
  sequelize: Sequelize,
  { Option }: Models,
  invalidate: Invalidate,
) {
  return {
    async all(): Promise<Record<string, string>> {
      const rows = await Option.findAll();
      return Object.fromEntries(rows.map((row) => [row.key, row.value]));
    },

    /** Every option with its default filled in, as the gateway uses them. */
    async effective(): Promise<Record<OptionKey, string> & Record<string, string>> {
      return withDefaults(await this.all());
    },

    async get(key: string): Promise<string | undefined> {
      return (await Option.findByPk(key))?.value;
    },

    /** Writes all values or none, then tells every node. */
    async setMany(values: Record<string, string>): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        for (const [key, value] of Object.entries(values)) {
          await Option.upsert({ key, value }, { transaction });
        }
      });
      await invalidate([CacheKeys.options]);
    },
  };
}

export type OptionsRepository = ReturnType<typeof optionsRepository>;
