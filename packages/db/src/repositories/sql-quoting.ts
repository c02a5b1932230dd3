import type { Sequelize } from 'sequelize';

export interface SqlQuoting {
  quoteTable(table: unknown): string;
  quoteIdentifier(name: string): string;
}

/** How the dialect quotes table and column names, for statements written out by hand. */
export function sqlQuoting(sequelize: Sequelize): SqlQuoting {
  return sequelize.getQueryInterface().queryGenerator as SqlQuoting;
}
