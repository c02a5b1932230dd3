import { QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import type { Migration } from './migration.js';

/** The request id column's length (0001-initial). */
const REQUEST_ID_LENGTH = 64;

/**
 * A request is billed once: a consume log's request id is unique, so a bill batch retried
 * after its COMMIT's answer was lost cannot charge twice. Logs without one (system, top-up)
 * keep '' and are not constrained. SQLite and PostgreSQL index only the non-empty ids; MySQL
 * has no partial index, so it indexes a generated column that is NULL for '' (a UNIQUE index
 * admits any number of NULLs). The unique index replaces the plain one.
 */
export const uniqueRequestIds: Migration = {
  name: '0002-unique-request-ids',
  async up(qi: QueryInterface): Promise<void> {
    const sequelize = qi.sequelize;
    await renameDuplicates(sequelize);
    if (sequelize.getDialect() === 'mysql') {
      await sequelize.query(
        `ALTER TABLE logs ADD COLUMN request_key VARCHAR(${REQUEST_ID_LENGTH}) ` +
          `GENERATED ALWAYS AS (NULLIF(request_id, '')) VIRTUAL`,
      );
      await sequelize.query('CREATE UNIQUE INDEX logs_request_id_unique ON logs (request_key)');
    } else {
      await sequelize.query(
        `CREATE UNIQUE INDEX logs_request_id_unique ON logs (request_id) WHERE request_id <> ''`,
      );
    }
    await qi.removeIndex('logs', 'logs_request_id');
  },
};

/**
 * Before this, a retried batch could log a request twice. Those logs stay (they match what
 * was charged); all but the first get their log id appended to the request id, so the
 * operator still finds them by it.
 */
async function renameDuplicates(sequelize: Sequelize): Promise<void> {
  const duplicated = await sequelize.query<{ request_id: string }>(
    `SELECT request_id FROM logs WHERE request_id <> '' GROUP BY request_id HAVING COUNT(*) > 1`,
    { type: QueryTypes.SELECT },
  );
  for (const { request_id: requestId } of duplicated) {
    const rows = await sequelize.query<{ id: number }>(
      'SELECT id FROM logs WHERE request_id = ? ORDER BY id',
      { type: QueryTypes.SELECT, replacements: [requestId] },
    );
    for (const { id } of rows.slice(1)) {
      const suffix = `#${id}`;
      await sequelize.query('UPDATE logs SET request_id = ? WHERE id = ?', {
        replacements: [`${requestId.slice(0, REQUEST_ID_LENGTH - suffix.length)}${suffix}`, id],
      });
    }
  }
}
