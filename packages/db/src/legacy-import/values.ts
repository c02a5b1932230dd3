/** A row as the source database returns it: column name → value, types varying by dialect. */
export type SourceRow = Record<string, unknown>;

const INT32_MAX = 2 ** 31 - 1;

/**
 * A whole number from any dialect's column (PostgreSQL BIGINT, MySQL DECIMAL, SQLite text, which
 * may hold anything): not a finite number → `fallback`; past ±2^53 → the nearest exact one, for
 * the BIGINT columns (quotas, times) it goes to.
 */
export function int(row: SourceRow, column: string, fallback = 0): number {
  const value = row[column];
  if (value === null || value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) return fallback;
  return clamp(Math.trunc(parsed), Number.MAX_SAFE_INTEGER);
}

/** As int(), for a 32-bit INTEGER column (counts, weights, durations), which refuses more. */
export function int32(row: SourceRow, column: string, fallback = 0): number {
  return clamp(int(row, column, fallback), INT32_MAX);
}

function clamp(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value));
}

export function float(row: SourceRow, column: string): number {
  const parsed = Number(row[column] ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Text, without NUL bytes: PostgreSQL refuses them in text columns, and no name needs one. */
export function str(row: SourceRow, column: string): string {
  const value = row[column];
  if (value === null || value === undefined) return '';
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return text.replaceAll('\0', '');
}

/** gorm's bool: 1/0 on SQLite and MySQL, a boolean on PostgreSQL. */
export function bool(row: SourceRow, column: string): boolean {
  const value = row[column];
  if (Buffer.isBuffer(value)) return value[0] === 1;
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

/** Soft-deleted by gorm (New API's `deleted_at`): gone for the source's users. */
export function isDeleted(row: SourceRow): boolean {
  const value = row.deleted_at;
  return value !== null && value !== undefined && value !== '';
}

/** A comma- or newline-separated list, trimmed, without empties or repeats. */
export function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

export function truncate(value: string, length: number): string {
  return value.length > length ? value.slice(0, length) : value;
}
