import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CACHE_RATIO,
  DEFAULT_COMPLETION_RATIO,
  DEFAULT_CREATE_CACHE_RATIO,
  DEFAULT_MODEL_RATIO,
} from './default-prices.js';
import { PriceBook } from './price-book.js';
import { quotaFor } from './pricing.js';

const book = new PriceBook({
  ModelRatio: JSON.stringify(DEFAULT_MODEL_RATIO),
  CompletionRatio: JSON.stringify(DEFAULT_COMPLETION_RATIO),
  CacheRatio: JSON.stringify(DEFAULT_CACHE_RATIO),
  CreateCacheRatio: JSON.stringify(DEFAULT_CREATE_CACHE_RATIO),
});

/** USD for a usage at the shipped prices (500,000 quota per dollar). */
const usd = (model: string, usage: Parameters<typeof quotaFor>[0]) =>
  quotaFor(usage, book.priceFor(model, 'default')!) / 500_000;

describe('shipped prices', () => {
  it('bills Claude Opus 5.5 cache reads at $0.20 and 5-minute cache writes at $5 per 1M', () => {
    // $4 input, $20 output: 1M fresh + 2M read + 1M written + 100K output.
    const usage = {
      promptTokens: 4_000_000,
      completionTokens: 100_000,
      cachedTokens: 2_000_000,
      cacheWriteTokens: 1_000_000,
    };
    expect(usd('claude-opus-5-5', usage)).toBe(4 + 0.4 + 5 + 2);
    expect(quotaFor(usage, book.priceFor('claude-opus-5-5', 'default')!)).toBe(5_700_000);
    expect(usd('global.anthropic.claude-opus-5-5', usage)).toBe(11.4);
  });

  it('prices a Claude model the same under its API, alias, Bedrock and Vertex AI ids', () => {
    const usage = {
      promptTokens: 1000,
      completionTokens: 200,
      cachedTokens: 300,
      cacheWriteTokens: 400,
    };
    const ids = [
      'claude-haiku-4-5',
      'claude-haiku-4-5-20251001',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
    ];
    // $1 input, $5 output, $0.10 read, $1.25 written per 1M:
    // (300 fresh + 300 × 0.1 + 400 × 1.25 + 200 × 5) × 0.5 ratio = 915 quota.
    expect(ids.map((id) => quotaFor(usage, book.priceFor(id, 'default')!))).toEqual([
      915, 915, 915, 915,
    ]);
  });

  it('charges Gemini cache reads at a tenth of the prompt price and no cache writes', () => {
    expect(DEFAULT_CACHE_RATIO['gemini-2.5-pro']).toBe(0.1);
    expect(DEFAULT_CREATE_CACHE_RATIO['gemini-2.5-pro']).toBeUndefined();
    expect(
      usd('gemini-3.5-flash', { promptTokens: 1e6, completionTokens: 1e6, cachedTokens: 5e5 }),
    ).toBe(0.75 + 0.075 + 9);
  });

  it('keeps the published shares for models priced before cache writes were', () => {
    expect(DEFAULT_CACHE_RATIO).toMatchObject({ 'gpt-4o': 0.5, 'gpt-4.1': 0.25, 'gpt-5': 0.1 });
    expect(DEFAULT_CREATE_CACHE_RATIO['gpt-4o']).toBeUndefined();
  });

  it('lists cache prices only for models that have a prompt price', () => {
    for (const table of [DEFAULT_CACHE_RATIO, DEFAULT_CREATE_CACHE_RATIO]) {
      for (const [model, share] of Object.entries(table)) {
        expect(DEFAULT_MODEL_RATIO[model], model).toBeGreaterThan(0);
        expect(share, model).toBeGreaterThan(0);
      }
    }
  });
});
