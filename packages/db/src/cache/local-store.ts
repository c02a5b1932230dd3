interface Entry {
  value: unknown;
  expiresAt: number;
}

/** The in-process copy every node keeps: a Map with expiry and a size bound (oldest out first). */
export class LocalStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries = 100_000) {}

  get(key: string): { value: unknown } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value };
  }

  set(key: string, value: unknown, ttlSeconds: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  /**
   * Every entry expires within `ms`, each at its own random moment: a full resync that dropped
   * them all at once would send every busy node's reads of every key to the database together.
   */
  expireWithin(ms: number): void {
    const now = Date.now();
    for (const entry of this.entries.values()) {
      entry.expiresAt = Math.min(entry.expiresAt, now + Math.random() * ms);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
