import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** One row per group × model × channel: what routing reads on every request (via the cache). */
export interface AbilityModel extends Model<
  InferAttributes<AbilityModel>,
  InferCreationAttributes<AbilityModel>
> {
  group: string;
  model: string;
  channelId: number;
  enabled: boolean;
  priority: CreationOptional<number>;
  weight: CreationOptional<number>;
}

export function initAbility(sequelize: Sequelize): ModelStatic<AbilityModel> {
  return sequelize.define<AbilityModel>(
    'abilities',
    {
      group: { type: DataTypes.STRING(64), primaryKey: true },
      model: { type: DataTypes.STRING(128), primaryKey: true },
      channelId: { type: DataTypes.INTEGER, primaryKey: true },
      enabled: { type: DataTypes.BOOLEAN, allowNull: false },
      priority: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      weight: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    },
    { tableName: 'abilities' },
  );
}
