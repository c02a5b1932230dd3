import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

/**
 * Third-party sign-in: a user's GitHub or OpenID Connect account. `subject` is what the provider
 * keeps for life (GitHub's numeric user id, the OIDC `sub`); `issuer` says whose subject it is
 * (the GitHub address, the OIDC issuer), since a `sub` is unique only within its issuer. One
 * account of each provider per user; `login` and `email` are only shown.
 */
export const userIdentities: Migration = {
  name: '0008-user-identities',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'user_identities',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        provider: { type: DataTypes.STRING(16), allowNull: false },
        issuer: { type: DataTypes.STRING(255), allowNull: false },
        subject: { type: DataTypes.STRING(255), allowNull: false },
        login: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
        email: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
        created_time: { type: DataTypes.BIGINT, allowNull: false },
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('user_identities', ['provider', 'issuer', 'subject'], {
      unique: true,
      name: 'user_identities_subject',
    });
    await qi.addIndex('user_identities', ['user_id', 'provider'], {
      unique: true,
      name: 'user_identities_user_provider',
    });
  },
};
