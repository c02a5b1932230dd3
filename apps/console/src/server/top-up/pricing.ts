/**
 * What a top-up costs and credits. One unit is QuotaPerUnit quota ($1 of quota) and sells at
 * StripeUnitPrice in StripeCurrency; TopUpBonusTiers adds a percentage of quota from a number of
 * units on. Stripe counts money in the currency's minor units.
 */

/** Units one Checkout Session may buy, whatever StripeMinTopUp says. */
export const MAX_TOP_UP_UNITS = 100_000;
/** Stripe's largest amount in minor units (8 digits). */
const MAX_STRIPE_AMOUNT = 99_999_999;

// https://docs.stripe.com/currencies#zero-decimal and #three-decimal
const ZERO_DECIMAL = new Set(
  'bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '),
);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export function currencyDigits(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  return THREE_DECIMAL.has(currency) ? 3 : 2;
}

/** "12.50 USD" for an amount in minor units. */
export function formatAmount(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

export interface BonusTier {
  units: number;
  percent: number;
}

export interface TopUpSettings {
  /** Both Stripe secrets are set. */
  enabled: boolean;
  apiSecret: string;
  webhookSecret: string;
  /** Lowercase ISO code, as Stripe wants it. */
  currency: string;
  unitPrice: number;
  minUnits: number;
  maxUnits: number;
  quotaPerUnit: number;
  /** Ascending by units. */
  bonusTiers: BonusTier[];
  systemName: string;
}

/** The top-up options as stored (validated by option.update) into numbers. */
export function topUpSettings(options: Record<string, string>): TopUpSettings {
  const tiers = JSON.parse(options.TopUpBonusTiers || '{}') as Record<string, number>;
  const apiSecret = options.StripeApiSecret ?? '';
  const webhookSecret = options.StripeWebhookSecret ?? '';
  return {
    enabled: apiSecret !== '' && webhookSecret !== '',
    apiSecret,
    webhookSecret,
    currency: (options.StripeCurrency ?? '').trim().toLowerCase(),
    unitPrice: Number(options.StripeUnitPrice),
    minUnits: Math.max(1, Number(options.StripeMinTopUp)),
    maxUnits: MAX_TOP_UP_UNITS,
    quotaPerUnit: Number(options.QuotaPerUnit),
    bonusTiers: Object.entries(tiers)
      .map(([units, percent]) => ({ units: Number(units), percent }))
      .sort((a, b) => a.units - b.units),
    systemName: options.SystemName ?? '',
  };
}

export interface TopUpQuote {
  units: number;
  /** Minor units of the currency. */
  amount: number;
  currency: string;
  bonusPercent: number;
  /** Quota credited on payment, bonus included. */
  quota: number;
}

/** The highest tier whose threshold the units reach; 0 below every tier. */
export function bonusPercent(tiers: BonusTier[], units: number): number {
  return tiers.filter((tier) => tier.units <= units).at(-1)?.percent ?? 0;
}

/** Why the currency or price cannot be charged, or undefined when they can. */
export function settingsProblem(settings: TopUpSettings): string | undefined {
  if (!/^[a-z]{3}$/.test(settings.currency)) {
    return 'StripeCurrency must be a three-letter ISO code such as usd.';
  }
  if (!(settings.unitPrice > 0)) return 'StripeUnitPrice must be above 0.';
  return undefined;
}

/** What `units` cost and credit; undefined when the amount is outside what Stripe charges. */
export function quote(settings: TopUpSettings, units: number): TopUpQuote | undefined {
  const digits = currencyDigits(settings.currency);
  let amount = Math.round(units * settings.unitPrice * 10 ** digits);
  // Stripe takes three-decimal amounts in whole tens.
  if (digits === 3) amount = Math.round(amount / 10) * 10;
  if (amount < 1 || amount > MAX_STRIPE_AMOUNT) return undefined;
  const percent = bonusPercent(settings.bonusTiers, units);
  const base = Math.round(units * settings.quotaPerUnit);
  return {
    units,
    amount,
    currency: settings.currency,
    bonusPercent: percent,
    quota: base + Math.floor((base * percent) / 100),
  };
}
