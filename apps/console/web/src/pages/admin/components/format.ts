import { formatTime } from '../../../lib/format.ts';

/** A unix time in the reader's language; 0 (never happened) as a dash. */
export function formatWhen(seconds: number): string {
  return seconds ? formatTime(seconds) : '—';
}

/** A dollar amount (balances, prices): cents, or up to six decimals below a dollar. */
export function formatDollars(usd: number): string {
  if (!Number.isFinite(usd)) return '—';
  const digits = usd === 0 || Math.abs(usd) >= 1 ? 2 : 6;
  const text = usd.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  });
  return `$${text}`;
}

/** A whole number typed into a form, or undefined when it is not one. */
export function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A decimal number typed into a form, or undefined when it is not one. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}
