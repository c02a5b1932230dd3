import type { Sequelize } from 'sequelize';

export interface SqlQuoting {
  quoteTable(table: unknown): string;
  quoteIdentifier(name: string): string;
}

/** How the dialect quotes table and column names, for statements written out by hand. */
export function sqlQuoting(sequelize: Sequelize): SqlQuoting {
  return sequelize.getQueryInterface().queryGenerator as SqlQuoting;
}

/** Printable ASCII without quote or backslash: the same literal in every dialect, unescaped. */
const PLAIN_TEXT = /^[\x20-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * A value fitted to its column (log-columns.ts) as a literal of the dialect. The fit removed
 * NUL and the other control characters, so the dialect's escaping (quotes doubled; MySQL's
 * backslashes) is safe for every character left.
 */
export function sqlLiteral(sequelize: Sequelize): (value: number | boolean | string) => string {
  // PostgreSQL has a boolean type; SQLite and MySQL store 1 and 0.
  const postgres = sequelize.getDialect() === 'postgres';
  return (value) => {
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return postgres ? String(value) : value ? '1' : '0';
    return PLAIN_TEXT.test(value) ? `'${value}'` : sequelize.escape(value);
  };
}
