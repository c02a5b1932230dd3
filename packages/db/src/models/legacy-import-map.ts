import {
  DataTypes,
  type Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** A source row an import from One API / New API brought in (0010-legacy-import-map). */
export interface LegacyImportMapModel extends Model<
  InferAttributes<LegacyImportMapModel>,
  InferCreationAttributes<LegacyImportMapModel>
> {
  id: CreationOptional<number>;
  source: string;
  sourceTable: string;
  sourceId: string;
  targetId: number;
  importedTime: number;
}

export function initLegacyImportMap(sequelize: Sequelize): ModelStatic<LegacyImportMapModel> {
  return sequelize.define<LegacyImportMapModel>(
    'legacy_import_map',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      source: { type: DataTypes.STRING(16), allowNull: false },
      sourceTable: { type: DataTypes.STRING(32), allowNull: false },
      sourceId: { type: DataTypes.STRING(191), allowNull: false },
      targetId: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      importedTime: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    },
    { tableName: 'legacy_import_map' },
  );
}
