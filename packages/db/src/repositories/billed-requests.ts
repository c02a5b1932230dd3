import { Op, type Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import { sqlLiteral, sqlQuoting } from './sql-quoting.js';

/** Ids per statement: a statement stays small on every server. */
const IDS_PER_STATEMENT = 1000;

/**
 * The record of requests billed without a consume log (LogConsumeEnabled off), as SQL for the
 * bill transaction: what a retried batch looks up, and what a written one adds. Ids come as the
 * log's request id column stores them (loggedRequestsLookup's `stored`), '' for none.
 */
export function billedRequestStatements(sequelize: Sequelize) {
  const quoting = sqlQuoting(sequelize);
  const literal = sqlLiteral(sequelize);
  const table = quoting.quoteTable('billed_requests');
  const column = quoting.quoteIdentifier('request_id');
  /** The distinct ids as literals, a statement's worth at a time. */
  const batches = (ids: readonly string[]): string[][] => {
    const unique = [...new Set(ids.filter((id) => id !== ''))].map(literal);
    const out: string[][] = [];
    for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) {
      out.push(unique.slice(start, start + IDS_PER_STATEMENT));
    }
    return out;
  };
  const created = quoting.quoteIdentifier('created_at');
  return {
    /** SELECTs of `request_id` for those of the ids billed already. */
    lookups(ids: readonly string[]): string[] {
      return batches(ids).map(
        (batch) => `SELECT ${column} FROM ${table} WHERE ${column} IN (${batch.join(',')})`,
      );
    },

    /** INSERTs recording the ids as billed at `now` (unix seconds). */
    inserts(ids: readonly string[], now: number): string[] {
      return batches(ids).map(
        (batch) =>
          `INSERT INTO ${table} (${column},${created}) VALUES ` +
          batch.map((id) => `(${id},${now})`).join(','),
      );
    },
  };
}

export function billedRequestsRepository({ BilledRequest }: Models) {
  return {
    /** Forgets up to `limit` of the requests billed before `createdAt`; returns how many. */
    async prune(createdAt: number, limit: number): Promise<number> {
      const rows = await BilledRequest.findAll({
        attributes: ['requestId'],
        where: { createdAt: { [Op.lt]: createdAt } },
        limit,
        raw: true,
      });
      if (rows.length === 0) return 0;
      return BilledRequest.destroy({ where: { requestId: rows.map((row) => row.requestId) } });
    },
  };
}
