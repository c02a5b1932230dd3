import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });

/**
 * Online top-ups: one row per Stripe Checkout Session, written pending when the session is
 * created and flipped to credited (exactly once, by the webhook) or expired. Times in unix
 * seconds; the amount in the currency's minor units, as Stripe counts it.
 */
export const topUps: Migration = {
  name: '0009-top-ups',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'top_ups',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        // Stripe's cs_… ids are under 100 characters; 191 keeps the unique index within MySQL's limit.
        stripe_session_id: { type: DataTypes.STRING(191), allowNull: false },
        units: { type: DataTypes.INTEGER, allowNull: false },
        quota: bigint(),
        amount: bigint(),
        currency: { type: DataTypes.STRING(8), allowNull: false },
        // pending → credited | expired
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
        created_time: bigint(),
        credited_time: bigint(),
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('top_ups', ['stripe_session_id'], {
      unique: true,
      name: 'top_ups_stripe_session_id',
    });
    await qi.addIndex('top_ups', ['user_id', 'id'], { name: 'top_ups_user_id' });
  },
};
