import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import { longText } from '../long-text.js';

export const LogType = { topup: 1, consume: 2, manage: 3, system: 4, error: 5 } as const;

export interface LogModel extends Model<
  InferAttributes<LogModel>,
  InferCreationAttributes<LogModel>
> {
  id: CreationOptional<number>;
  userId: number;
  createdAt: number;
  type: number;
  content: CreationOptional<string>;
  username: CreationOptional<string>;
  tokenName: CreationOptional<string>;
  tokenId: CreationOptional<number>;
  modelName: CreationOptional<string>;
  quota: CreationOptional<number>;
  promptTokens: CreationOptional<number>;
  completionTokens: CreationOptional<number>;
  channelId: CreationOptional<number>;
  isStream: CreationOptional<boolean>;
  ttftMs: CreationOptional<number>;
  durationMs: CreationOptional<number>;
  requestId: CreationOptional<string>;
  /** JSON details for admins (ratios used, abort marks, …). */
  other: CreationOptional<string | null>;
}

export function initLog(sequelize: Sequelize): ModelStatic<LogModel> {
  return sequelize.define<LogModel>(
    'logs',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.BIGINT, allowNull: false },
      type: { type: DataTypes.INTEGER, allowNull: false },
      content: { type: longText(sequelize.getDialect()), allowNull: false, defaultValue: '' },
      username: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      tokenName: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      tokenId: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      modelName: { type: DataTypes.STRING(128), allowNull: false, defaultValue: '' },
      quota: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      promptTokens: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      completionTokens: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      channelId: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      isStream: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ttftMs: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      durationMs: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      requestId: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      other: { type: DataTypes.TEXT, allowNull: true },
    },
    { tableName: 'logs' },
  );
}
