import {
  DataTypes,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Model,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** The third-party sign-in methods (0008-user-identities). */
export const IDENTITY_PROVIDERS = ['github', 'oidc'] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

/** A user's account at GitHub or an OpenID Connect provider, used to sign in. */
export interface UserIdentityModel extends Model<
  InferAttributes<UserIdentityModel>,
  InferCreationAttributes<UserIdentityModel>
> {
  id: CreationOptional<number>;
  userId: number;
  provider: IdentityProvider;
  /** Whose subject it is: the GitHub address or the OIDC issuer. */
  issuer: string;
  /** The provider's lifelong id of the account (GitHub's numeric id, the OIDC `sub`). */
  subject: string;
  login: CreationOptional<string>;
  email: CreationOptional<string>;
  createdTime: number;
}

export function initUserIdentity(sequelize: Sequelize): ModelStatic<UserIdentityModel> {
  return sequelize.define<UserIdentityModel>(
    'user_identities',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      provider: { type: DataTypes.STRING(16), allowNull: false },
      issuer: { type: DataTypes.STRING(255), allowNull: false },
      subject: { type: DataTypes.STRING(255), allowNull: false },
      login: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      email: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'user_identities' },
  );
}
