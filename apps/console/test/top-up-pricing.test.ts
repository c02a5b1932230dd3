import { describe, expect, it } from 'vitest';
import { withDefaults } from '@chat-api/db';
import { formatAmount, quote, topUpSettings } from '../src/server/top-up/pricing.js';

const settings = (values: Record<string, string>) =>
  topUpSettings(withDefaults({ StripeApiSecret: 'sk', StripeWebhookSecret: 'wh', ...values }));

describe('top-up prices', () => {
  it('applies the highest bonus tier the units reach, and none below the first', () => {
    const tiers = settings({ TopUpBonusTiers: '{"500":15,"10":5,"100":10}' });
    expect(tiers.bonusTiers.map((tier) => tier.units)).toEqual([10, 100, 500]);
    expect(quote(tiers, 9)).toMatchObject({ bonusPercent: 0, quota: 4_500_000 });
    expect(quote(tiers, 10)).toMatchObject({ bonusPercent: 5, quota: 5_250_000 });
    expect(quote(tiers, 499)).toMatchObject({ bonusPercent: 10 });
    expect(quote(tiers, 500)).toMatchObject({ bonusPercent: 15, quota: 287_500_000 });
  });

  it("charges in the currency's minor units: cents, whole yen, tens of fils", () => {
    expect(quote(settings({ StripeUnitPrice: '0.1' }), 3)).toMatchObject({ amount: 30 });
    expect(quote(settings({ StripeCurrency: 'JPY', StripeUnitPrice: '150' }), 2)).toMatchObject({
      amount: 300,
      currency: 'jpy',
    });
    expect(quote(settings({ StripeCurrency: 'kwd', StripeUnitPrice: '0.3075' }), 1)).toMatchObject({
      amount: 310,
    });
    expect(formatAmount(300, 'jpy')).toBe('300 JPY');
    expect(formatAmount(310, 'kwd')).toBe('0.310 KWD');
    expect(formatAmount(90_000, 'eur')).toBe('900.00 EUR');
  });

  it('refuses an amount Stripe cannot charge', () => {
    expect(quote(settings({ StripeUnitPrice: '1000' }), 100_000)).toBeUndefined();
    expect(quote(settings({ StripeUnitPrice: '0.001' }), 1)).toBeUndefined();
  });
});
