import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

/**
 * Codes emailed for sign-up and links emailed for a password reset: only their hashes, each
 * good once and until it expires. A table rather than the cache, so that any console node
 * (with or without Redis) can check what another one sent.
 */
export const authCodes: Migration = {
  name: '0007-auth-codes',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'auth_codes',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        // 'register' (a code for an address) or 'reset' (a link for an account).
        purpose: { type: DataTypes.STRING(16), allowNull: false },
        email: { type: DataTypes.STRING(128), allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        secret_hash: { type: DataTypes.STRING(64), allowNull: false },
        // Wrong guesses at a code; it is deleted at the limit.
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_time: { type: DataTypes.BIGINT, allowNull: false },
        expires_time: { type: DataTypes.BIGINT, allowNull: false },
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('auth_codes', ['purpose', 'email'], { name: 'auth_codes_purpose_email' });
    await qi.addIndex('auth_codes', ['secret_hash'], { name: 'auth_codes_secret_hash' });
    await qi.addIndex('auth_codes', ['expires_time'], { name: 'auth_codes_expires_time' });
  },
};
