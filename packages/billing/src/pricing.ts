/** 1 USD of spend = QuotaPerUnit quota (DESIGN §6). */
export const DEFAULT_QUOTA_PER_UNIT = 500_000;

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface Price {
  /** Quota per token for prompts; ratio 1 = $0.002 / 1K tokens. */
  modelRatio: number;
  /** Completion tokens cost this many prompt tokens. */
  completionRatio: number;
  groupRatio: number;
  /** USD per call; replaces the token formula when set. */
  modelPrice?: number;
}

/**
 * quota = ceil((prompt + completion × CompletionRatio) × ModelRatio × GroupRatio), at least 1
 * unless a ratio is 0 (free); with ModelPrice, quota = ceil(price × QuotaPerUnit × GroupRatio).
 */
export function quotaFor(
  usage: Usage,
  price: Price,
  quotaPerUnit = DEFAULT_QUOTA_PER_UNIT,
): number {
  if (price.modelPrice !== undefined) {
    return Math.ceil(price.modelPrice * quotaPerUnit * price.groupRatio);
  }
  const ratio = price.modelRatio * price.groupRatio;
  if (ratio === 0) return 0;
  const weightedTokens = usage.promptTokens + usage.completionTokens * price.completionRatio;
  return Math.max(1, Math.ceil(weightedTokens * ratio));
}
