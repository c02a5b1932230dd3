import { ceilOfProduct, ceilOfSum } from './exact-decimal.js';

/** 1 USD of spend = QuotaPerUnit quota (DESIGN §6). */
export const DEFAULT_QUOTA_PER_UNIT = 500_000;

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the upstream served from its prompt cache (part of promptTokens). */
  cachedTokens?: number;
  /** Prompt tokens the upstream wrote to its prompt cache (part of promptTokens). */
  cacheWriteTokens?: number;
}

export interface Price {
  /** Quota per token for prompts; ratio 1 = $0.002 / 1K tokens. */
  modelRatio: number;
  /** Completion tokens cost this many prompt tokens. */
  completionRatio: number;
  groupRatio: number;
  /** What a cached prompt token costs, as a share of a fresh one (CacheRatio); 1 = no discount. */
  cacheRatio?: number;
  /** What a prompt token written to the cache costs, as a share of a fresh one (CreateCacheRatio). */
  cacheWriteRatio?: number;
  /** USD per call; replaces the token formula when set. */
  modelPrice?: number;
}

/**
 * quota = ceil((prompt + completion × CompletionRatio) × ModelRatio × GroupRatio), at least 1
 * (cached prompt tokens count CacheRatio each, those written to the cache CreateCacheRatio)
 * unless a ratio is 0 (free); with ModelPrice, quota = ceil(price × QuotaPerUnit × GroupRatio).
 */
export function quotaFor(
  usage: Usage,
  price: Price,
  quotaPerUnit = DEFAULT_QUOTA_PER_UNIT,
): number {
  if (price.modelPrice !== undefined) {
    return ceilOfProduct([price.modelPrice, quotaPerUnit, price.groupRatio]);
  }
  const ratio = price.modelRatio * price.groupRatio;
  if (ratio === 0) return 0;
  const cached = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.promptTokens - cached);
  const { modelRatio, groupRatio } = price;
  return Math.max(
    1,
    ceilOfSum([
      [usage.promptTokens - cached - written, modelRatio, groupRatio],
      [cached, price.cacheRatio ?? 1, modelRatio, groupRatio],
      [written, price.cacheWriteRatio ?? 1, modelRatio, groupRatio],
      [usage.completionTokens, price.completionRatio, modelRatio, groupRatio],
    ]),
  );
}
