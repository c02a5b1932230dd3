import { DataTypes } from 'sequelize';

/** Up to 16 MB of text: MEDIUMTEXT on MySQL (its TEXT stops at 64 KB), TEXT elsewhere. */
export function longText(dialect: string) {
  return dialect === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
}
