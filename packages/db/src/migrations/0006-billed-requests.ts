import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

/**
 * The requests billed without a consume log (LogConsumeEnabled off): a bill batch retried after
 * its COMMIT's answer was lost finds its requests here, as it would find their logs, and
 * charges them once. Kept a day; a retry comes within seconds.
 */
export const billedRequests: Migration = {
  name: '0006-billed-requests',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'billed_requests',
      {
        // As long as the consume log's request id (0001-initial).
        request_id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
        created_at: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('billed_requests', ['created_at'], { name: 'billed_requests_created_at' });
  },
};
