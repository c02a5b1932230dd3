import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });

/**
 * The notification outbox: an event (a channel disabled, a user's quota running low) is written
 * in the transaction of the change itself, so none is lost and nothing is sent on a request's
 * path; the master's sender delivers the pending rows by email and webhook, with retries. Times
 * in unix seconds.
 */
export const notifications: Migration = {
  name: '0004-notifications',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'notifications',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        event: { type: DataTypes.STRING(64), allowNull: false },
        payload: { type: DataTypes.TEXT, allowNull: false },
        created_at: bigint(),
        // pending → sent | skipped (nowhere to send it) | failed (gave up after the last attempt)
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        next_attempt_at: bigint(),
        // The targets (email, webhook) that have it already: a retry sends only to the others.
        delivered: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
        sent_at: bigint(),
        last_error: { type: DataTypes.TEXT, allowNull: true },
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('notifications', ['status', 'next_attempt_at'], {
      name: 'notifications_due',
    });
  },
};
