import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export const ChannelStatus = { enabled: 1, manuallyDisabled: 2, autoDisabled: 3 } as const;

export interface ChannelModel extends Model<
  InferAttributes<ChannelModel>,
  InferCreationAttributes<ChannelModel>
> {
  id: CreationOptional<number>;
  /** Readable provider type: openai, azure, anthropic, gemini, openai-compatible, … */
  type: string;
  name: string;
  /** Upstream credential; never returned by any API. */
  key: string;
  status: CreationOptional<number>;
  weight: CreationOptional<number>;
  priority: CreationOptional<number>;
  /** Provider origin without a trailing /v1; empty = the type's default. */
  baseUrl: CreationOptional<string>;
  /** Comma-separated model names this channel serves. */
  models: CreationOptional<string>;
  /** Comma-separated user groups allowed to use it. */
  group: CreationOptional<string>;
  /** JSON map requested model → upstream model. */
  modelMapping: CreationOptional<string | null>;
  /** JSON object of type-specific settings (Azure api-version, …). */
  config: CreationOptional<string | null>;
  createdTime: number;
  testTime: CreationOptional<number>;
  responseTime: CreationOptional<number>;
  balance: CreationOptional<number>;
  balanceUpdatedTime: CreationOptional<number>;
  usedQuota: CreationOptional<number>;
}

export function initChannel(sequelize: Sequelize): ModelStatic<ChannelModel> {
  return sequelize.define<ChannelModel>(
    'channels',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      type: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(128), allowNull: false, defaultValue: '' },
      key: { type: DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: ChannelStatus.enabled },
      weight: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      priority: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      baseUrl: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
      models: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      group: { type: DataTypes.STRING(255), allowNull: false, defaultValue: 'default' },
      modelMapping: { type: DataTypes.TEXT, allowNull: true },
      config: { type: DataTypes.TEXT, allowNull: true },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      testTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      responseTime: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      balance: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
      balanceUpdatedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      usedQuota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'channels' },
  );
}
