import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export const RedemptionStatus = { enabled: 1, disabled: 2, used: 3 } as const;

export interface RedemptionModel extends Model<
  InferAttributes<RedemptionModel>,
  InferCreationAttributes<RedemptionModel>
> {
  id: CreationOptional<number>;
  /** The admin who created it. */
  userId: number;
  name: string;
  /** sha256 of the code; the code itself is shown once. */
  keyHash: string;
  keyHint: string;
  status: CreationOptional<number>;
  quota: number;
  createdTime: number;
  redeemedTime: CreationOptional<number>;
  usedUserId: CreationOptional<number>;
}

export function initRedemption(sequelize: Sequelize): ModelStatic<RedemptionModel> {
  return sequelize.define<RedemptionModel>(
    'redemptions',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      name: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      keyHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      keyHint: { type: DataTypes.STRING(16), allowNull: false, defaultValue: '' },
      status: { type: DataTypes.INTEGER, allowNull: false, defaultValue: RedemptionStatus.enabled },
      quota: { type: DataTypes.BIGINT, allowNull: false },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      redeemedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      usedUserId: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'redemptions' },
  );
}
