import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

/**
 * What an import from One API or New API has brought in: one row per source row, written in the
 * same transaction as the row it made, so a rerun (or a resume after a crash) skips exactly what
 * is already here. `source_id` is text: options are keyed by name, not by number.
 */
export const legacyImportMap: Migration = {
  name: '0010-legacy-import-map',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'legacy_import_map',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        // one-api | new-api
        source: { type: DataTypes.STRING(16), allowNull: false },
        source_table: { type: DataTypes.STRING(32), allowNull: false },
        // 191 keeps the unique index within MySQL's limit.
        source_id: { type: DataTypes.STRING(191), allowNull: false },
        // 0 where the row made nothing to point at (an option).
        target_id: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        imported_time: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      },
      TABLE_OPTIONS,
    );
    await qi.addIndex('legacy_import_map', ['source', 'source_table', 'source_id'], {
      unique: true,
      name: 'legacy_import_map_source_row',
    });
  },
};
