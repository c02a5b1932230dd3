import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** Cache invalidations for nodes without Redis: every node polls rows newer than the last it saw. */
export interface CacheEventModel extends Model<
  InferAttributes<CacheEventModel>,
  InferCreationAttributes<CacheEventModel>
> {
  id: CreationOptional<number>;
  key: string;
  createdTime: number;
}

export function initCacheEvent(sequelize: Sequelize): ModelStatic<CacheEventModel> {
  return sequelize.define<CacheEventModel>(
    'cache_events',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      key: { type: DataTypes.STRING(191), allowNull: false },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'cache_events' },
  );
}
