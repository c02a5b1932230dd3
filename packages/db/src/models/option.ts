import {
  DataTypes,
  type Model,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import { longText } from '../long-text.js';

/** Key/value settings edited in the console; values are strings as stored (maps are JSON text). */
export interface OptionModel extends Model<
  InferAttributes<OptionModel>,
  InferCreationAttributes<OptionModel>
> {
  key: string;
  value: string;
}

export function initOption(sequelize: Sequelize): ModelStatic<OptionModel> {
  return sequelize.define<OptionModel>(
    'options',
    {
      key: { type: DataTypes.STRING(64), primaryKey: true },
      value: { type: longText(sequelize.getDialect()), allowNull: false },
    },
    { tableName: 'options' },
  );
}
