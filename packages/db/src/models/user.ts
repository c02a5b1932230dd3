import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export const Role = { common: 1, admin: 10, root: 100 } as const;
export const UserStatus = { enabled: 1, disabled: 2 } as const;

export interface UserModel extends Model<
  InferAttributes<UserModel>,
  InferCreationAttributes<UserModel>
> {
  id: CreationOptional<number>;
  username: string;
  /** scrypt hash, never returned by any API. */
  password: string;
  displayName: CreationOptional<string>;
  role: CreationOptional<number>;
  status: CreationOptional<number>;
  email: CreationOptional<string>;
  /** sha256 of the console access token; the token itself is shown once. */
  accessTokenHash: CreationOptional<string | null>;
  quota: CreationOptional<number>;
  usedQuota: CreationOptional<number>;
  requestCount: CreationOptional<number>;
  group: CreationOptional<string>;
  affCode: CreationOptional<string | null>;
  inviterId: CreationOptional<number | null>;
  mustChangePassword: CreationOptional<boolean>;
  createdTime: number;
  /** Defaults for the keys of this user that set no limit of their own (0 = none). */
  rpmLimit: CreationOptional<number>;
  /** Tokens (prompt + completion) per minute; 0 = none. */
  tpmLimit: CreationOptional<number>;
  /** Requests in flight at once; 0 = none. */
  concurrencyLimit: CreationOptional<number>;
}

export function initUser(sequelize: Sequelize): ModelStatic<UserModel> {
  return sequelize.define<UserModel>(
    'users',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      password: { type: DataTypes.STRING(255), allowNull: false },
      displayName: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      role: { type: DataTypes.INTEGER, allowNull: false, defaultValue: Role.common },
      status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: UserStatus.enabled },
      email: { type: DataTypes.STRING(128), allowNull: false, defaultValue: '' },
      accessTokenHash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
      quota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      usedQuota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      requestCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      group: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'default' },
      affCode: { type: DataTypes.STRING(32), allowNull: true, unique: true },
      inviterId: { type: DataTypes.INTEGER, allowNull: true },
      mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      rpmLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      tpmLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      concurrencyLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'users' },
  );
}
