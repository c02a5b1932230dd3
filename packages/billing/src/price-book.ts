import { DEFAULT_QUOTA_PER_UNIT, type Price } from './pricing.js';

export interface PriceOptions {
  ModelRatio?: string;
  CompletionRatio?: string;
  GroupRatio?: string;
  ModelPrice?: string;
  CacheRatio?: string;
  QuotaPerUnit?: string;
}

type RatioMap = ReadonlyMap<string, number>;

function parseMap(json: string | undefined): RatioMap {
  if (!json) return new Map();
  const parsed = JSON.parse(json) as Record<string, unknown>;
  return new Map(
    Object.entries(parsed).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}

/**
 * The price options compiled once per change (the proxy keeps one in its cache), so a request
 * looks its model up in a Map instead of parsing JSON.
 */
export class PriceBook {
  readonly quotaPerUnit: number;
  private readonly modelRatio: RatioMap;
  private readonly completionRatio: RatioMap;
  private readonly groupRatio: RatioMap;
  private readonly modelPrice: RatioMap;
  private readonly cacheRatio: RatioMap;

  constructor(options: PriceOptions) {
    this.modelRatio = parseMap(options.ModelRatio);
    this.completionRatio = parseMap(options.CompletionRatio);
    this.groupRatio = parseMap(options.GroupRatio);
    this.modelPrice = parseMap(options.ModelPrice);
    this.cacheRatio = parseMap(options.CacheRatio);
    const quotaPerUnit = Number(options.QuotaPerUnit);
    this.quotaPerUnit = quotaPerUnit > 0 ? quotaPerUnit : DEFAULT_QUOTA_PER_UNIT;
  }

  /** The model's price for the group, or undefined when the operator has not priced it. */
  priceFor(model: string, group: string): Price | undefined {
    const groupRatio = this.groupRatio.get(group) ?? 1;
    const modelPrice = this.modelPrice.get(model);
    if (modelPrice !== undefined) {
      return { modelRatio: 0, completionRatio: 1, groupRatio, modelPrice };
    }
    // "*" in ModelRatio is the operator's price for every model not listed.
    const modelRatio = this.modelRatio.get(model) ?? this.modelRatio.get('*');
    if (modelRatio === undefined) return undefined;
    return {
      modelRatio,
      completionRatio: this.completionRatio.get(model) ?? 1,
      groupRatio,
      cacheRatio: this.cacheRatio.get(model) ?? 1,
    };
  }
}
