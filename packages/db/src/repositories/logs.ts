import {
  Op,
  QueryTypes,
  fn,
  col,
  literal,
  type InferCreationAttributes,
  type WhereOptions,
} from 'sequelize';
import type { Models } from '../models/index.js';
import { LogType, type LogModel } from '../models/log.js';
import { logColumns } from './log-columns.js';
import { sqlLiteral, sqlQuoting } from './sql-quoting.js';
import { pageWindow, type Page, type PageRequest } from './types.js';

export interface Log {
  id: number;
  createdAt: number;
  type: number;
  userId: number;
  username: string;
  tokenName: string;
  tokenId: number;
  model: string;
  channelId: number;
  promptTokens: number;
  completionTokens: number;
  quota: number;
  isStream: boolean;
  ttftMs: number;
  durationMs: number;
  requestId: string;
  content: string;
  other: string | null;
}

export type NewLog = Pick<Log, 'userId' | 'type' | 'createdAt'> &
  Partial<Omit<Log, 'id' | 'userId' | 'type' | 'createdAt'>>;

export interface LogFilter {
  userId?: number;
  type?: number;
  model?: string;
  tokenName?: string;
  username?: string;
  channelId?: number;
  /** Unix seconds, inclusive. */
  from?: number;
  to?: number;
}

export interface LogStats {
  quota: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** Totals of one model's logs in one time bucket. */
export interface UsageBucket {
  /** Unix seconds at which the bucket starts (a multiple of its size). */
  start: number;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  quota: number;
}

function toLog(row: LogModel): Log {
  return {
    id: row.id,
    createdAt: Number(row.createdAt),
    type: row.type,
    userId: row.userId,
    username: row.username,
    tokenName: row.tokenName,
    tokenId: row.tokenId,
    model: row.modelName,
    channelId: row.channelId,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    quota: Number(row.quota),
    isStream: Boolean(row.isStream),
    ttftMs: row.ttftMs,
    durationMs: row.durationMs,
    requestId: row.requestId,
    content: row.content,
    other: row.other,
  };
}

/** A log as a row whose every value fits its column (the API's `model` is `model_name`). */
function toLogRow(Log: Models['Log'], log: NewLog): InferCreationAttributes<LogModel> {
  const source = log as unknown as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const { name, attribute, fit } of logColumns(Log)) {
    const value = source[name];
    if (value !== undefined && value !== null) row[attribute] = fit(value);
  }
  return row as unknown as InferCreationAttributes<LogModel>;
}

/** How one dialect writes the logs table's rows as SQL literals, worked out once. */
interface LogInsertShape {
  head: string;
  columns: { name: string; fallback: unknown; literal(value: unknown): string }[];
}

const insertShapes = new WeakMap<Models['Log'], LogInsertShape>();

function insertShapeOf(Log: Models['Log']): LogInsertShape {
  const known = insertShapes.get(Log);
  if (known) return known;
  const sequelize = Log.sequelize!;
  const sql = sqlQuoting(sequelize);
  const quote = sqlLiteral(sequelize);
  const columns = logColumns(Log);
  const shape: LogInsertShape = {
    head:
      `INSERT INTO ${sql.quoteTable(Log.getTableName())} ` +
      `(${columns.map((column) => sql.quoteIdentifier(column.field)).join(',')}) VALUES `,
    columns: columns.map(({ name, fallback, fit }) => ({
      name,
      fallback,
      literal: (value) => (value === null || value === undefined ? 'NULL' : quote(fit(value))),
    })),
  };
  insertShapes.set(Log, shape);
  return shape;
}

/**
 * Rows per INSERT: a statement stays a small string (under V8's large-object size, so it dies
 * young instead of swelling the old generation) and far below any server's packet limit.
 */
const ROWS_PER_INSERT = 200;

/**
 * Logs as multi-row INSERTs of literals, without a model instance per row: a batch holds
 * thousands of bills, and building instances was most of what writing one cost.
 */
export function logInsertStatements(Log: Models['Log'], logs: readonly NewLog[]): string[] {
  const { head, columns } = insertShapeOf(Log);
  // Consecutive logs mostly repeat a column's value (one key, one model, one price): its
  // literal is reused rather than checked and quoted again.
  const last = columns.map(() => ({ value: undefined as unknown, literal: '' }));
  const statements: string[] = [];
  for (let start = 0; start < logs.length; start += ROWS_PER_INSERT) {
    const rows: string[] = [];
    for (const log of logs.slice(start, start + ROWS_PER_INSERT)) {
      const row = log as unknown as Record<string, unknown>;
      let values = '';
      for (let i = 0; i < columns.length; i++) {
        const { name, fallback, literal } = columns[i]!;
        const value = row[name] ?? fallback;
        const memo = last[i]!;
        if (value !== memo.value || memo.literal === '') {
          memo.value = value;
          memo.literal = literal(value);
        }
        values += (i === 0 ? '(' : ',') + memo.literal;
      }
      rows.push(`${values})`);
    }
    // One join builds the statement flat: `head + rows.join()` would be copied once more.
    rows[0] = head + rows[0];
    statements.push(rows.join(','));
  }
  return statements;
}

/**
 * Text filters are fitted as the columns' values were when written: a control character
 * (a NUL ends SQLite's statement) cannot reach the SQL, and the stripped name still matches.
 */
function whereOf(Log: Models['Log'], filter: LogFilter): WhereOptions {
  const fitted = (name: string, value: string) =>
    logColumns(Log)
      .find((column) => column.name === name)!
      .fit(value);
  const where: Record<string | symbol, unknown> = {};
  if (filter.userId !== undefined) where.userId = filter.userId;
  if (filter.type !== undefined) where.type = filter.type;
  if (filter.model) where.modelName = fitted('model', filter.model);
  if (filter.tokenName) where.tokenName = fitted('tokenName', filter.tokenName);
  if (filter.username) where.username = fitted('username', filter.username);
  if (filter.channelId !== undefined) where.channelId = filter.channelId;
  if (filter.from !== undefined || filter.to !== undefined) {
    where.createdAt = {
      ...(filter.from !== undefined ? { [Op.gte]: filter.from } : {}),
      ...(filter.to !== undefined ? { [Op.lte]: filter.to } : {}),
    };
  }
  return where as WhereOptions;
}

export function logsRepository({ Log }: Models) {
  return {
    async insert(log: NewLog): Promise<number> {
      return (await Log.create(toLogRow(Log, log))).id;
    },

    async insertMany(logs: NewLog[]): Promise<void> {
      for (const sql of logInsertStatements(Log, logs)) {
        // Typed as an insert, so Sequelize does not lower-case the whole statement to find out.
        await Log.sequelize!.query(sql, { type: QueryTypes.INSERT });
      }
    },

    /**
     * A transaction that takes the write lock and writes nothing: when a bill's write failed,
     * this succeeding says the database refused the bill, not the write.
     */
    async probeWrite(): Promise<void> {
      await Log.sequelize!.transaction(async (transaction) => {
        await Log.sequelize!.query('SELECT 1', { transaction, type: QueryTypes.SELECT });
      });
    },

    async get(id: number): Promise<Log | null> {
      const row = await Log.findByPk(id);
      return row ? toLog(row) : null;
    },

    async list(filter: LogFilter & PageRequest): Promise<Page<Log>> {
      const { rows, count } = await Log.findAndCountAll({
        where: whereOf(Log, filter),
        order: [['id', 'DESC']],
        ...pageWindow(filter),
      });
      return { items: rows.map(toLog), total: count };
    },

    /**
     * The next `limit` logs matching the filter, newest first, older than the log `beforeId`
     * (all when undefined): an export reads page after page by id, never by an offset that
     * grows with every page.
     */
    async listBefore(
      filter: LogFilter,
      beforeId: number | undefined,
      limit: number,
    ): Promise<Log[]> {
      const where = whereOf(Log, filter) as Record<string | symbol, unknown>;
      if (beforeId !== undefined) where.id = { [Op.lt]: beforeId };
      const rows = await Log.findAll({ where, order: [['id', 'DESC']], limit });
      return rows.map(toLog);
    },

    async stats(filter: LogFilter): Promise<LogStats> {
      const [row] = (await Log.findAll({
        where: whereOf(Log, filter),
        attributes: [
          [fn('COALESCE', fn('SUM', col('quota')), 0), 'quota'],
          [fn('COUNT', col('id')), 'requests'],
          [fn('COALESCE', fn('SUM', col('prompt_tokens')), 0), 'promptTokens'],
          [fn('COALESCE', fn('SUM', col('completion_tokens')), 0), 'completionTokens'],
        ],
        raw: true,
      })) as unknown as Record<keyof LogStats, string | number>[];
      return {
        quota: Number(row?.quota ?? 0),
        requests: Number(row?.requests ?? 0),
        promptTokens: Number(row?.promptTokens ?? 0),
        completionTokens: Number(row?.completionTokens ?? 0),
      };
    },

    /**
     * Totals per model and per fixed-size time bucket, summed by the database. With 900 s
     * buckets every bucket lies inside one local day of any real time zone (all offsets and
     * their changes fall on quarter hours), so callers can fold buckets into local days exactly.
     */
    async usageBuckets(filter: LogFilter & { bucketSeconds: number }): Promise<UsageBucket[]> {
      const size = filter.bucketSeconds;
      if (!Number.isInteger(size) || size <= 0) throw new RangeError(`bucketSeconds: ${size}`);
      const rows = (await Log.findAll({
        where: whereOf(Log, filter),
        attributes: [
          // created_at is never negative, so the remainder is the offset inside the bucket.
          [literal(`created_at - (created_at % ${size})`), 'start'],
          [col('model_name'), 'model'],
          [fn('COUNT', col('id')), 'requests'],
          [fn('SUM', col('prompt_tokens')), 'promptTokens'],
          [fn('SUM', col('completion_tokens')), 'completionTokens'],
          [fn('SUM', col('quota')), 'quota'],
        ],
        // By the output name: every dialect accepts it, and no column is called start.
        group: ['start', col('model_name')],
        raw: true,
      })) as unknown as Record<keyof UsageBucket, string | number | null>[];
      return rows.map((row) => ({
        start: Number(row.start),
        model: String(row.model ?? ''),
        requests: Number(row.requests ?? 0),
        promptTokens: Number(row.promptTokens ?? 0),
        completionTokens: Number(row.completionTokens ?? 0),
        quota: Number(row.quota ?? 0),
      }));
    },

    /**
     * Up to `limit` consume logs written before `createdAt`, oldest first, deleted by id: a
     * small statement that never holds the table for long while the proxies write bills. The
     * number deleted; fewer than `limit` means none are left.
     */
    async pruneConsumeLogs(createdAt: number, limit: number): Promise<number> {
      const rows = await Log.findAll({
        attributes: ['id'],
        where: { type: LogType.consume, createdAt: { [Op.lt]: createdAt } },
        order: [['id', 'ASC']],
        limit,
        raw: true,
      });
      if (rows.length === 0) return 0;
      return Log.destroy({ where: { id: rows.map((row) => row.id) } });
    },

    async deleteBefore(createdAt: number): Promise<number> {
      return Log.destroy({ where: { createdAt: { [Op.lt]: createdAt } } });
    },
  };
}

export type LogsRepository = ReturnType<typeof logsRepository>;
