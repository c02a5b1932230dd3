import { defineMessages, locale } from './i18n.ts';
import { site } from './site.ts';

const t = defineMessages({
  en: {
    days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
    hours: (n: number) => (n === 1 ? '1 hour' : `${n} hours`),
    minutes: (n: number) => (n === 1 ? '1 minute' : `${n} minutes`),
    seconds: (n: number) => (n === 1 ? '1 second' : `${n} seconds`),
  },
  zh: {
    days: (n: number) => `${n} 天`,
    hours: (n: number) => `${n} 小时`,
    minutes: (n: number) => `${n} 分钟`,
    seconds: (n: number) => `${n} 秒`,
  },
});

/** The BCP 47 tag of the chosen language, for Intl formatting. */
export const languageTag = () => (locale() === 'zh' ? 'zh-CN' : 'en-US');

export function formatNumber(value: number): string {
  return value.toLocaleString(languageTag());
}

/** Dollars for a quota amount: cents, or more digits for amounts below a cent. */
export function formatUsd(quota: number): string {
  const usd = quota / site().quotaPerUnit;
  const digits = usd === 0 || Math.abs(usd) >= 0.01 ? 2 : 6;
  return `$${usd.toFixed(digits)}`;
}

/** Quota units, with the dollar equivalent when the site shows currency. */
export function formatQuota(quota: number): string {
  const units = formatNumber(quota);
  return site().displayInCurrency ? `${units} (${formatUsd(quota)})` : units;
}

/** A unix time as a local date and time. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(languageTag(), {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A length of time in its largest whole unit (7 days, 36 hours, 90 seconds). */
export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return t().days(seconds / 86_400);
  if (seconds % 3600 === 0) return t().hours(seconds / 3600);
  if (seconds % 60 === 0) return t().minutes(seconds / 60);
  return t().seconds(seconds);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A unix time as an <input type="datetime-local"> value, in local time. */
export function toDateTimeInput(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An <input type="datetime-local"> or type="date" value as unix seconds (local), NaN if empty. */
export function fromDateInput(value: string): number {
  if (!value) return Number.NaN;
  // A bare date is parsed as UTC by Date; with a time it is local, which is what a person means.
  return Math.floor(new Date(value.includes('T') ? value : `${value}T00:00`).getTime() / 1000);
}
