import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export const TokenStatus = { enabled: 1, disabled: 2, expired: 3, exhausted: 4 } as const;
export type ExpiryMode = 'fixed' | 'first_use';

export interface TokenModel extends Model<
  InferAttributes<TokenModel>,
  InferCreationAttributes<TokenModel>
> {
  id: CreationOptional<number>;
  userId: number;
  name: string;
  /** sha256 of the API key; the key itself is shown once. */
  keyHash: string;
  /** Last characters of the key, so a user can tell keys apart. */
  keyHint: string;
  status: CreationOptional<number>;
  createdTime: number;
  accessedTime: CreationOptional<number>;
  /** fixed mode: unix seconds, -1 = never. */
  expiredTime: CreationOptional<number>;
  expiryMode: CreationOptional<ExpiryMode>;
  /** first_use mode: lifetime counted from firstUsedTime. */
  durationSeconds: CreationOptional<number>;
  /** 0 until the first accepted request. */
  firstUsedTime: CreationOptional<number>;
  remainQuota: CreationOptional<number>;
  unlimitedQuota: CreationOptional<boolean>;
  usedQuota: CreationOptional<number>;
  /** Comma-separated model allow-list; empty = every model. */
  models: CreationOptional<string>;
  /** Comma-separated CIDR list; empty = any address. */
  subnets: CreationOptional<string>;
  /** Overrides the owner's group when not empty. */
  group: CreationOptional<string>;
  /** Requests per minute; 0 = none. A key without a limit of its own takes its owner's. */
  rpmLimit: CreationOptional<number>;
  /** Tokens (prompt + completion) per minute; 0 = none. */
  tpmLimit: CreationOptional<number>;
  /** Requests in flight at once; 0 = none. */
  concurrencyLimit: CreationOptional<number>;
}

export function initToken(sequelize: Sequelize): ModelStatic<TokenModel> {
  return sequelize.define<TokenModel>(
    'tokens',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      keyHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      keyHint: { type: DataTypes.STRING(16), allowNull: false, defaultValue: '' },
      status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: TokenStatus.enabled },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      accessedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      expiredTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: -1 },
      expiryMode: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'fixed' },
      durationSeconds: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      firstUsedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      remainQuota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      unlimitedQuota: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      usedQuota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      models: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      subnets: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      group: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      rpmLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      tpmLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      concurrencyLimit: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'tokens' },
  );
}
