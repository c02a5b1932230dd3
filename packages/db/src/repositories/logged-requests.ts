import type { Models } from '../models/index.js';
import { logColumns } from './log-columns.js';
import { sqlLiteral, sqlQuoting } from './sql-quoting.js';

/** Which requests of a batch already have a log, as SQL. */
export interface LoggedRequestsLookup {
  /** Each request id as the column stores it ('' for none), to compare with what is found. */
  stored: string[];
  /** SELECTs of `request_id` for the logs among the non-empty ids. */
  statements: string[];
}

/** Ids per SELECT: a statement stays small on every server. */
const IDS_PER_SELECT = 1000;

/** Each request id as the log's column stores it ('' for none): how lookups compare them. */
export function storedRequestIds(
  Log: Models['Log'],
  requestIds: readonly (string | undefined)[],
): string[] {
  const { fit } = logColumns(Log).find((column) => column.name === 'requestId')!;
  return requestIds.map((id) => (id ? String(fit(id)) : ''));
}

/**
 * Looks requests up by the unique index of 0002-unique-request-ids: on MySQL its generated
 * column, elsewhere the partial index, whose condition the query repeats so it is used.
 */
export function loggedRequestsLookup(
  Log: Models['Log'],
  requestIds: readonly (string | undefined)[],
): LoggedRequestsLookup {
  const sequelize = Log.sequelize!;
  const quoting = sqlQuoting(sequelize);
  const literal = sqlLiteral(sequelize);
  const stored = storedRequestIds(Log, requestIds);
  const ids = [...new Set(stored.filter((id) => id !== ''))];
  const column = quoting.quoteIdentifier('request_id');
  const select = `SELECT ${column} FROM ${quoting.quoteTable(Log.getTableName())} WHERE `;
  const where =
    sequelize.getDialect() === 'mysql'
      ? (list: string) => `${quoting.quoteIdentifier('request_key')} IN (${list})`
      : (list: string) => `${column} IN (${list}) AND ${column} <> ''`;
  const statements: string[] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_SELECT) {
    const list = ids
      .slice(start, start + IDS_PER_SELECT)
      .map(literal)
      .join(',');
    statements.push(select + where(list));
  }
  return { stored, statements };
}
