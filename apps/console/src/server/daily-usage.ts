/** Usage totals folded from the database's time buckets into calendar days of a time zone. */

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  quota: number;
}

/** One model's totals in one time bucket starting at `start` (unix seconds). */
export interface UsageBucket extends UsageTotals {
  start: number;
  model: string;
}

export interface DailyUsage extends UsageTotals {
  /** YYYY-MM-DD in the time zone. */
  day: string;
  model: string;
}

/** The calendar day of a moment in an IANA time zone, as YYYY-MM-DD. */
export function localDayFormatter(timeZone: string): (unixSeconds: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (unixSeconds) => {
    const parts = format.formatToParts(unixSeconds * 1000);
    const part = (type: Intl.DateTimeFormatPartTypes) =>
      parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}

/** The `count` calendar days ending with `today` (YYYY-MM-DD), oldest first. */
export function daysEndingWith(today: string, count: number): string[] {
  const [year = 1970, month = 1, day = 1] = today.split('-').map(Number);
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(year, month - 1, day - (count - 1 - i))).toISOString().slice(0, 10),
  );
}

/**
 * Sums buckets per local day and model, keeping only the given days; sorted by day, then model.
 * Exact as long as no bucket spans a local midnight (see logs.usageBuckets).
 */
export function foldIntoDays(
  buckets: UsageBucket[],
  dayOf: (unixSeconds: number) => string,
  days: readonly string[],
): DailyUsage[] {
  const wanted = new Set(days);
  const dayByStart = new Map<number, string>();
  const totals = new Map<string, DailyUsage>();
  for (const bucket of buckets) {
    let day = dayByStart.get(bucket.start);
    if (day === undefined) {
      day = dayOf(bucket.start);
      dayByStart.set(bucket.start, day);
    }
    if (!wanted.has(day)) continue;
    const key = `${day}\u0000${bucket.model}`;
    const row = totals.get(key) ?? {
      day,
      model: bucket.model,
      requests: 0,
      promptTokens: 0,
      completionTokens: 0,
      quota: 0,
    };
    row.requests += bucket.requests;
    row.promptTokens += bucket.promptTokens;
    row.completionTokens += bucket.completionTokens;
    row.quota += bucket.quota;
    totals.set(key, row);
  }
  return [...totals.values()].sort((a, b) =>
    a.day === b.day ? a.model.localeCompare(b.model) : a.day < b.day ? -1 : 1,
  );
}
