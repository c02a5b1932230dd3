import { describe, expect, it } from 'vitest';
import { quotaFor, type Price } from './pricing.js';

const price = (overrides: Partial<Price> = {}): Price => ({
  modelRatio: 1,
  completionRatio: 1,
  groupRatio: 1,
  ...overrides,
});

describe('quotaFor', () => {
  it.each([
    ['ratio 1, 1000 + 1000 tokens', { promptTokens: 1000, completionTokens: 1000 }, price(), 2000],
    [
      'gpt-4o: ratio 1.25, completion ×4',
      { promptTokens: 1000, completionTokens: 500 },
      price({ modelRatio: 1.25, completionRatio: 4 }),
      3750,
    ],
    [
      'group ratio 0.5 halves the bill',
      { promptTokens: 1000, completionTokens: 0 },
      price({ groupRatio: 0.5 }),
      500,
    ],
    [
      'ratio arithmetic is exact to the unit: 100 tokens at 0.07 cost 7, not 8',
      { promptTokens: 100, completionTokens: 0 },
      price({ modelRatio: 0.07 }),
      7,
    ],
    [
      'a fixed price of $0.07 is 35,000 quota, not 35,001',
      { promptTokens: 0, completionTokens: 0 },
      price({ modelPrice: 0.07 }),
      35_000,
    ],
    [
      'rounds up fractions',
      { promptTokens: 3, completionTokens: 0 },
      price({ modelRatio: 0.075 }),
      1,
    ],
    [
      'at least 1 for a priced model',
      { promptTokens: 1, completionTokens: 0 },
      price({ modelRatio: 0.01 }),
      1,
    ],
    [
      'ratio 0 is free',
      { promptTokens: 5000, completionTokens: 5000 },
      price({ modelRatio: 0 }),
      0,
    ],
    [
      'group ratio 0 is free',
      { promptTokens: 5000, completionTokens: 5000 },
      price({ groupRatio: 0 }),
      0,
    ],
    [
      'fixed price replaces tokens',
      { promptTokens: 99999, completionTokens: 99999 },
      price({ modelPrice: 0.04 }),
      20000,
    ],
    [
      'fixed price × group ratio',
      { promptTokens: 0, completionTokens: 0 },
      price({ modelPrice: 0.04, groupRatio: 1.5 }),
      30000,
    ],
    [
      'Claude: 1,000 read from the cache at 0.1 and 2,000 written at 1.25 of a 4,000 prompt',
      { promptTokens: 4000, completionTokens: 100, cachedTokens: 1000, cacheWriteTokens: 2000 },
      price({ modelRatio: 1.5, completionRatio: 5, cacheRatio: 0.1, cacheWriteRatio: 1.25 }),
      // (1000 + 1000 × 0.1 + 2000 × 1.25 + 100 × 5) × 1.5
      6150,
    ],
    [
      'cache counts larger than the prompt are cut to it, never a negative fresh part',
      { promptTokens: 100, completionTokens: 0, cachedTokens: 60, cacheWriteTokens: 90 },
      price({ cacheRatio: 0.5, cacheWriteRatio: 2 }),
      // 60 × 0.5 + 40 × 2
      110,
    ],
  ])('%s', (_name, usage, p, expected) => {
    expect(quotaFor(usage, p)).toBe(expected);
  });

  it('uses the configured QuotaPerUnit for fixed prices', () => {
    expect(
      quotaFor({ promptTokens: 0, completionTokens: 0 }, price({ modelPrice: 1 }), 1_000_000),
    ).toBe(1_000_000);
  });
});
