import { Op, type Transaction } from 'sequelize';
import type { Models } from '../models/index.js';
import type { LegacyProject } from './detect.js';
import type { LegacyTable } from './report.js';

/**
 * Source row → target row, from legacy_import_map. Written in the transaction that makes the
 * target row, so "in the map" means "imported" even after a crash. In a dry run the planned ids
 * stay here (the rows are rolled back) so later tables plan against them. Logs, which nothing
 * points at and which may number millions, are not held: `importedAmong` asks per batch.
 */
export class IdMap {
  readonly #ids = new Map<string, number>();

  private constructor(
    private readonly models: Models,
    private readonly source: LegacyProject,
  ) {}

  static async load(models: Models, source: LegacyProject): Promise<IdMap> {
    const map = new IdMap(models, source);
    const rows = await models.LegacyImportMap.findAll({
      where: { source, sourceTable: { [Op.ne]: UNHELD } },
      raw: true,
    });
    for (const row of rows) map.#ids.set(`${row.sourceTable}:${row.sourceId}`, row.targetId);
    return map;
  }

  get(table: LegacyTable, sourceId: number | string): number | undefined {
    return this.#ids.get(`${table}:${sourceId}`);
  }

  async record(
    table: LegacyTable,
    sourceId: number | string,
    targetId: number,
    transaction: Transaction,
    now: number,
  ): Promise<void> {
    await this.models.LegacyImportMap.create(
      {
        source: this.source,
        sourceTable: table,
        sourceId: String(sourceId),
        targetId,
        importedTime: now,
      },
      { transaction },
    );
    if (table !== UNHELD) this.#ids.set(`${table}:${sourceId}`, targetId);
  }

  /**
   * Notes a batch of unheld rows (logs) as imported, in one statement. Nothing points at a log,
   * so only the source id matters: the target id is recorded as 0.
   */
  async recordUnheld(
    sourceIds: (number | string)[],
    transaction: Transaction,
    now: number,
  ): Promise<void> {
    await this.models.LegacyImportMap.bulkCreate(
      sourceIds.map((sourceId) => ({
        source: this.source,
        sourceTable: UNHELD,
        sourceId: String(sourceId),
        targetId: 0,
        importedTime: now,
      })),
      { transaction },
    );
  }

  /** Which of these source ids are already imported, from the table itself. */
  async importedAmong(
    table: LegacyTable,
    sourceIds: (number | string)[],
    transaction: Transaction,
  ): Promise<Set<string>> {
    const rows = await this.models.LegacyImportMap.findAll({
      attributes: ['sourceId'],
      where: { source: this.source, sourceTable: table, sourceId: sourceIds.map(String) },
      raw: true,
      transaction,
    });
    return new Set(rows.map((row) => row.sourceId));
  }
}

const UNHELD: LegacyTable = 'logs';
