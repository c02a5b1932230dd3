import type { Detection } from './detect.js';

export const LEGACY_TABLES = [
  'users',
  'channels',
  'tokens',
  'redemptions',
  'options',
  'logs',
] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

export interface TableReport {
  /** Source rows looked at. */
  read: number;
  /** Rows written to the target (or, in a dry run, that would be). */
  imported: number;
  skipped: number;
  /** Skipped rows counted by reason. */
  skippedBy: Record<string, number>;
  /** The first rows skipped, renamed or changed on the way in, one line each. */
  notes: string[];
  /** Notes past the first few, counted only. */
  moreNotes: number;
}

export interface ImportReport {
  source: Detection & { dialect: string; location: string };
  dryRun: boolean;
  includeLogs: boolean;
  tables: Record<LegacyTable, TableReport>;
  /** What applies to the whole import (what was not imported at all, and why). */
  notes: string[];
}

const MAX_NOTES = 10;

export class ReportBuilder {
  readonly #report: ImportReport;

  constructor(source: ImportReport['source'], options: { dryRun: boolean; includeLogs: boolean }) {
    const empty = (): TableReport => ({
      read: 0,
      imported: 0,
      skipped: 0,
      skippedBy: {},
      notes: [],
      moreNotes: 0,
    });
    const tables = Object.fromEntries(LEGACY_TABLES.map((table) => [table, empty()])) as Record<
      LegacyTable,
      TableReport
    >;
    this.#report = { source, ...options, tables, notes: [] };
  }

  read(table: LegacyTable): void {
    this.#report.tables[table].read++;
  }

  /** A row written; `note` says what changed on the way (a rename, a disabled channel). */
  imported(table: LegacyTable, note?: string): void {
    this.#report.tables[table].imported++;
    if (note) this.note(table, note);
  }

  skipped(table: LegacyTable, reason: string, what: string): void {
    const entry = this.#report.tables[table];
    entry.skipped++;
    entry.skippedBy[reason] = (entry.skippedBy[reason] ?? 0) + 1;
    // Rows already imported are the normal case of a rerun: counted, not listed.
    if (reason !== ALREADY_IMPORTED) this.note(table, `${what}: ${reason}`);
  }

  note(table: LegacyTable, text: string): void {
    const entry = this.#report.tables[table];
    if (entry.notes.length < MAX_NOTES) entry.notes.push(text);
    else entry.moreNotes++;
  }

  general(text: string): void {
    this.#report.notes.push(text);
  }

  build(): ImportReport {
    return structuredClone(this.#report);
  }
}

export const ALREADY_IMPORTED = 'already imported';

/** The report as the CLI prints it. */
export function formatImportReport(report: ImportReport): string {
  const { source } = report;
  const lines = [
    `${report.dryRun ? 'Dry run: nothing was written. ' : ''}Import from ${source.name} ${source.version}, ${source.location}`,
    '',
    `${'table'.padEnd(12)}${'read'.padStart(8)}${'imported'.padStart(10)}${'skipped'.padStart(9)}`,
  ];
  for (const table of LEGACY_TABLES) {
    const entry = report.tables[table];
    if (table === 'logs' && !report.includeLogs) {
      lines.push(`${table.padEnd(12)}  not imported (add --logs)`);
      continue;
    }
    lines.push(
      `${table.padEnd(12)}${String(entry.read).padStart(8)}${String(entry.imported).padStart(10)}${String(entry.skipped).padStart(9)}`,
    );
  }
  for (const table of LEGACY_TABLES) {
    const entry = report.tables[table];
    if (entry.notes.length === 0 && entry.skipped === 0) continue;
    const reasons = Object.entries(entry.skippedBy)
      .map(([reason, count]) => `${reason}: ${count}`)
      .join('; ');
    lines.push('', `${table}${reasons ? ` — skipped: ${reasons}` : ''}`);
    lines.push(...entry.notes.map((note) => `  - ${note}`));
    if (entry.moreNotes > 0) lines.push(`  … and ${entry.moreNotes} more`);
  }
  if (report.notes.length > 0) lines.push('', ...report.notes.map((note) => `Note: ${note}`));
  return lines.join('\n');
}
