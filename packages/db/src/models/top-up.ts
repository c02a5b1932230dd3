import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export const TopUpStatus = {
  pending: 'pending',
  credited: 'credited',
  expired: 'expired',
} as const;
export type TopUpStatusName = (typeof TopUpStatus)[keyof typeof TopUpStatus];

export interface TopUpModel extends Model<
  InferAttributes<TopUpModel>,
  InferCreationAttributes<TopUpModel>
> {
  id: CreationOptional<number>;
  userId: number;
  stripeSessionId: string;
  /** Units bought; one unit is QuotaPerUnit quota. */
  units: number;
  /** Quota credited when paid, bonus included. */
  quota: number;
  /** What Stripe charges, in the currency's minor units (cents). */
  amount: number;
  currency: string;
  status: CreationOptional<TopUpStatusName>;
  createdTime: number;
  creditedTime: CreationOptional<number>;
}

export function initTopUp(sequelize: Sequelize): ModelStatic<TopUpModel> {
  return sequelize.define<TopUpModel>(
    'top_ups',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      stripeSessionId: { type: DataTypes.STRING(191), allowNull: false, unique: true },
      units: { type: DataTypes.INTEGER, allowNull: false },
      quota: { type: DataTypes.BIGINT, allowNull: false },
      amount: { type: DataTypes.BIGINT, allowNull: false },
      currency: { type: DataTypes.STRING(8), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: TopUpStatus.pending },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      creditedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'top_ups' },
  );
}
