import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_MODEL_PRICE,
  DEFAULT_MODEL_RATIO,
} from './default-prices.js';
import { PriceBook } from './price-book.js';
import { quotaFor } from './pricing.js';

const book = new PriceBook({
  ModelRatio: JSON.stringify(DEFAULT_MODEL_RATIO),
  CompletionRatio: JSON.stringify(DEFAULT_COMPLETION_RATIO),
  ModelPrice: JSON.stringify(DEFAULT_MODEL_PRICE),
  GroupRatio: '{"default":1,"vip":0.5}',
});

describe('PriceBook', () => {
  it('prices gpt-4o at $2.50 / $10 per 1M tokens', () => {
    const price = book.priceFor('gpt-4o', 'default')!;
    expect(price).toEqual({
      modelRatio: 1.25,
      completionRatio: 4,
      groupRatio: 1,
      cacheRatio: 1,
      cacheWriteRatio: 1,
    });
    // 1M prompt + 1M completion tokens = $12.50 = 6.25M quota at 500000 quota per USD.
    expect(quotaFor({ promptTokens: 1e6, completionTokens: 1e6 }, price)).toBe(6_250_000);
  });

  it('applies the group ratio and fixed per-call prices', () => {
    expect(book.priceFor('gpt-4o-mini', 'vip')).toMatchObject({
      modelRatio: 0.075,
      groupRatio: 0.5,
    });
    expect(book.priceFor('dall-e-3', 'default')).toMatchObject({ modelPrice: 0.04 });
    expect(book.priceFor('unknown-group-model', 'default')).toBeUndefined();
    expect(book.priceFor('gpt-4o', 'no-such-group')?.groupRatio).toBe(1);
  });

  it('hands out one price object per model and group', () => {
    expect(book.priceFor('gpt-4o', 'vip')).toBe(book.priceFor('gpt-4o', 'vip'));
    expect(book.priceFor('gpt-4o', 'vip')).not.toBe(book.priceFor('gpt-4o', 'default'));
    expect(book.priceFor('gpt-4o', 'vip')?.groupRatio).toBe(0.5);
  });

  it('prices unlisted models at the operator\'s "*" ratio, when set', () => {
    const withDefault = new PriceBook({ ModelRatio: '{"*":2,"gpt-4o":1.25}' });
    expect(withDefault.priceFor('some-new-model', 'default')).toMatchObject({ modelRatio: 2 });
    expect(withDefault.priceFor('gpt-4o', 'default')).toMatchObject({ modelRatio: 1.25 });
  });

  it('keeps free models free', () => {
    expect(
      quotaFor(
        { promptTokens: 100, completionTokens: 100 },
        book.priceFor('glm-4-flash', 'default')!,
      ),
    ).toBe(0);
  });
});
