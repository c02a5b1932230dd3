/** How many keys are remembered; the least recently billed are forgotten first. */
const MAX_KEYS = 10_000;

/**
 * What a key's requests without a completion limit cost lately, per model. Such a request can
 * cost far more than PreConsumedQuota, so its hold starts from what the last one cost: a burst
 * of similar requests then holds what each will spend, and "at most one request past the
 * quota" holds for it too (DESIGN §6). A larger cost is taken at once; a smaller one only
 * halves the memory, so one cheap answer does not drop a key's holds back to the default.
 * Kept per process: each proxy learns from the bills it writes.
 */
export class RecentCosts {
  private readonly byKey = new Map<number, Map<string, number>>();

  get(tokenId: number, model: string): number {
    return this.byKey.get(tokenId)?.get(model) ?? 0;
  }

  remember(tokenId: number, model: string, cost: number): void {
    let models = this.byKey.get(tokenId);
    if (models) {
      this.byKey.delete(tokenId); // re-inserted below: Map order is the eviction order
    } else {
      models = new Map();
      if (this.byKey.size >= MAX_KEYS) this.byKey.delete(this.byKey.keys().next().value!);
    }
    this.byKey.set(tokenId, models);
    models.set(model, Math.max(cost, Math.floor((models.get(model) ?? 0) / 2)));
  }
}
