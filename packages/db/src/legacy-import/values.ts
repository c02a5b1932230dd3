/** A row as the source database returns it: column name → value, types varying by dialect. */
export type SourceRow = Record<string, unknown>;

/** A whole number from any dialect's column (PostgreSQL BIGINT, MySQL DECIMAL, SQLite text). */
export function int(row: SourceRow, column: string, fallback = 0): number {
  const value = row[column];
  if (value === null || value === undefined || value === '') return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? Math.trunc(parsed) : fallback;
}

export function float(row: SourceRow, column: string): number {
  const parsed = Number(row[column] ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

export function str(row: SourceRow, column: string): string {
  const value = row[column];
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
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
