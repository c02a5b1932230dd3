import { languageTag } from '../../lib/format.ts';

/** Bonus tiers as topUp.options gives them: ascending by units. */
export interface BonusTier {
  units: number;
  percent: number;
}

/** The highest tier the units reach (the server applies the same rule). */
export function bonusPercent(tiers: BonusTier[], units: number): number {
  return tiers.filter((tier) => tier.units <= units).at(-1)?.percent ?? 0;
}

/** Quota credited for `units`, bonus included, as the server computes it. */
export function quotaFor(units: number, quotaPerUnit: number, percent: number): number {
  const base = Math.round(units * quotaPerUnit);
  return base + Math.floor((base * percent) / 100);
}

/** "€7.50": a price in the site's currency, in the reader's language. */
export function formatMoney(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(languageTag(), {
      style: 'currency',
      currency: currency.toUpperCase(),
    }).format(value);
  } catch {
    return `${value} ${currency.toUpperCase()}`;
  }
}
