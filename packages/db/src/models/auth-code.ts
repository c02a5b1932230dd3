import {
  DataTypes,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Model,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

export type AuthCodePurpose = 'register' | 'reset';

/** An emailed sign-up code or password-reset link (0007-auth-codes); unix seconds. */
export interface AuthCodeModel extends Model<
  InferAttributes<AuthCodeModel>,
  InferCreationAttributes<AuthCodeModel>
> {
  id: CreationOptional<number>;
  purpose: AuthCodePurpose;
  email: string;
  userId: number | null;
  secretHash: string;
  attempts: CreationOptional<number>;
  createdTime: number;
  expiresTime: number;
}

export function initAuthCode(sequelize: Sequelize): ModelStatic<AuthCodeModel> {
  return sequelize.define<AuthCodeModel>(
    'auth_codes',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      purpose: { type: DataTypes.STRING(16), allowNull: false },
      email: { type: DataTypes.STRING(128), allowNull: false },
      userId: { type: DataTypes.INTEGER, allowNull: true },
      secretHash: { type: DataTypes.STRING(64), allowNull: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      createdTime: { type: DataTypes.BIGINT, allowNull: false },
      expiresTime: { type: DataTypes.BIGINT, allowNull: false },
    },
    { tableName: 'auth_codes' },
  );
}
