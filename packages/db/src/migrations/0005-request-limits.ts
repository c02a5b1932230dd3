import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from './migration.js';

/** The per-key limits (DESIGN §5b), on each key and as its owner's defaults. 0 = none. */
export const REQUEST_LIMIT_COLUMNS = ['rpm_limit', 'tpm_limit', 'concurrency_limit'] as const;

/**
 * Requests per minute, tokens per minute and concurrent requests: a key's own limits, and on
 * users the defaults for keys that set none.
 */
export const requestLimits: Migration = {
  name: '0005-request-limits',
  async up(qi: QueryInterface): Promise<void> {
    for (const table of ['tokens', 'users']) {
      for (const column of REQUEST_LIMIT_COLUMNS) {
        await qi.addColumn(table, column, {
          type: DataTypes.INTEGER,
          allowNull: false,
          defaultValue: 0,
        });
      }
    }
  },
};
