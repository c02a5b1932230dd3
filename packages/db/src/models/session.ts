import {
  DataTypes,
  type Model,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** A console login; the cookie carries the secret, the row only its hash. */
export interface SessionModel extends Model<
  InferAttributes<SessionModel>,
  InferCreationAttributes<SessionModel>
> {
  id: string;
  userId: number;
  createdTime: number;
  expiresTime: number;
}

export function initSession(sequelize: Sequelize): ModelStatic<SessionModel> {
  return sequelize.define<SessionModel>(
    'sessions',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      userId: { type: DataTypes.INTEGER, allowNull: false },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      expiresTime: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'sessions' },
  );
}
