import {
  DataTypes,
  type Model,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** A request billed without a consume log (0006-billed-requests); unix seconds. */
export interface BilledRequestModel extends Model<
  InferAttributes<BilledRequestModel>,
  InferCreationAttributes<BilledRequestModel>
> {
  requestId: string;
  createdAt: number;
}

export function initBilledRequest(sequelize: Sequelize): ModelStatic<BilledRequestModel> {
  return sequelize.define<BilledRequestModel>(
    'billed_requests',
    {
      requestId: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      createdAt: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'billed_requests' },
  );
}
