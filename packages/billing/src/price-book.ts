import { DEFAULT_QUOTA_PER_UNIT, type Price } from './pricing.js';

export interface PriceOptions {
  ModelRatio?: string;
  CompletionRatio?: string;
  GroupRatio?: string;
  ModelPrice?: string;
  CacheRatio?: string;
  CreateCacheRatio?: string;
  QuotaPerUnit?: string;
}

type RatioMap = ReadonlyMap<string, number>;

/** Per group: more models than any operator prices, fewer than would matter in memory. */
const MAX_KNOWN_MODELS = 2_000;

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
  private readonly cacheWriteRatio: RatioMap;
  /** Prices worked out so far, by group then model: each is one shared object. */
  private readonly known = new Map<string, Map<string, Price>>();

  constructor(options: PriceOptions) {
    this.modelRatio = parseMap(options.ModelRatio);
    this.completionRatio = parseMap(options.CompletionRatio);
    this.groupRatio = parseMap(options.GroupRatio);
    this.modelPrice = parseMap(options.ModelPrice);
    this.cacheRatio = parseMap(options.CacheRatio);
    this.cacheWriteRatio = parseMap(options.CreateCacheRatio);
    const quotaPerUnit = Number(options.QuotaPerUnit);
    this.quotaPerUnit = quotaPerUnit > 0 ? quotaPerUnit : DEFAULT_QUOTA_PER_UNIT;
  }

  /**
   * The model's price for the group, or undefined when the operator has not priced it. The
   * same object for the same model and group, so what is derived from it (the consume log's
   * note) can be kept with it; callers must not modify it.
   */
  priceFor(model: string, group: string): Price | undefined {
    let byModel = this.known.get(group);
    if (!byModel) {
      byModel = new Map();
      this.known.set(group, byModel);
    }
    const known = byModel.get(model);
    if (known) return known;
    const price = this.workOut(model, group);
    if (!price) return undefined;
    // With a "*" price any name a client sends is priced: the memo must stay small.
    if (byModel.size >= MAX_KNOWN_MODELS) byModel.clear();
    byModel.set(model, price);
    return price;
  }

  private workOut(model: string, group: string): Price | undefined {
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
      cacheWriteRatio: this.cacheWriteRatio.get(model) ?? 1,
    };
  }
}
