/** dashboard.usage rows shaped for the charts: a continuous day axis and one series per model. */

export interface UsageRow {
  day: string;
  model: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  quota: number;
}

export type Metric = 'requests' | 'quota';

export interface Series {
  /** The model, or null for the models folded into "other". */
  model: string | null;
  color: string;
  byDay: Map<string, Record<Metric, number>>;
}

const COLORS = ['#0969da', '#1a7f37', '#bf8700', '#8250df', '#cf222e', '#1b7c83', '#bc4c00'];
const OTHER_COLOR = '#8c959f';

const addDays = (day: string, delta: number) => {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + delta)).toISOString().slice(0, 10);
};

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * `count` days ending today, widened to every day the server reported: its days follow the
 * server's time zone (TZ), which may be a day ahead of or behind the browser's.
 */
export function dayAxis(rows: readonly UsageRow[], count: number, today: string): string[] {
  const reported = rows.map((row) => row.day).sort();
  const last = reported.at(-1);
  const end = last !== undefined && last > today ? last : today;
  let start = addDays(end, -(count - 1));
  const first = reported[0];
  if (first !== undefined && first < start) start = first;
  const days: string[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The busiest models (by quota, then requests) each get a colour; the rest share "other". */
export function seriesOf(rows: readonly UsageRow[], shown = COLORS.length): Series[] {
  const totals = new Map<string, Record<Metric, number>>();
  for (const row of rows) {
    const total = totals.get(row.model) ?? { requests: 0, quota: 0 };
    total.requests += row.requests;
    total.quota += row.quota;
    totals.set(row.model, total);
  }
  const ranked = [...totals]
    .sort(([, a], [, b]) => b.quota - a.quota || b.requests - a.requests)
    .map(([model]) => model);
  const fold = ranked.length > shown;
  const named = fold ? ranked.slice(0, shown - 1) : ranked;
  const series: Series[] = named.map((model, i) => ({
    model,
    color: COLORS[i % COLORS.length]!,
    byDay: new Map(),
  }));
  const other: Series = { model: null, color: OTHER_COLOR, byDay: new Map() };
  const byModel = new Map(series.map((s) => [s.model, s]));
  for (const row of rows) {
    const target = byModel.get(row.model) ?? other;
    const cell = target.byDay.get(row.day) ?? { requests: 0, quota: 0 };
    cell.requests += row.requests;
    cell.quota += row.quota;
    target.byDay.set(row.day, cell);
  }
  return fold ? [...series, other] : series;
}

/**
 * A round axis maximum at or above `value` whose quarters are round too (1, 2, 2.5, 3 or 5 times a
 * power of ten, whole numbers only: counts have no fractions).
 */
export function niceMax(value: number, steps = 4): number {
  if (value <= 0) return steps;
  const raw = value / steps;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 3, 5, 10]
    .map((m) => m * power)
    .find((candidate) => candidate >= raw && Number.isInteger(candidate));
  return Math.max(1, step ?? 10 * power) * steps;
}
