/** How many keys are remembered; the least recently billed are forgotten first. */
const MAX_KEYS = 10_000;
/** How long the requests behind a key's first open-ended one wait to learn its cost. */
const LEARN_WAIT_MS = 30_000;

/**
 * What a key's requests without a completion limit cost lately, per model. Such a request can
 * cost far more than PreConsumedQuota, so its hold starts from what the last one cost: a burst
 * of similar requests then holds what each will spend, and "at most one request past the
 * quota" holds for it too (DESIGN §6). A larger cost is taken at once; a smaller one only
 * halves the memory, so one cheap answer does not drop a key's holds back to the default.
 * Kept per process: each proxy learns from the bills it writes.
 *
 * Before a key's first such request for a model is billed nothing is known, so the requests that
 * arrive meanwhile wait for it (up to LEARN_WAIT_MS) instead of each holding the default: a
 * fresh key's first burst cannot pass its quota by more than that one request either.
 */
export class RecentCosts {
  private readonly byKey = new Map<number, Map<string, number>>();
  private readonly learning = new Map<string, Promise<void>>();

  /** The cost on record, or undefined before the key's first such request is billed. */
  get(tokenId: number, model: string): number | undefined {
    return this.byKey.get(tokenId)?.get(model);
  }

  /**
   * For a request with no cost on record: the first one gets back a function to call once it
   * is billed or has failed; the others wait for that (or the time limit) and get nothing.
   */
  async learnFirst(tokenId: number, model: string): Promise<(() => void) | undefined> {
    const key = `${tokenId}\n${model}`;
    const pending = this.learning.get(key);
    if (pending) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, LEARN_WAIT_MS)));
      await Promise.race([pending, limit]);
      clearTimeout(timer);
      return undefined;
    }
    let learned!: () => void;
    this.learning.set(key, new Promise<void>((resolve) => (learned = resolve)));
    return () => {
      this.learning.delete(key);
      learned();
    };
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
