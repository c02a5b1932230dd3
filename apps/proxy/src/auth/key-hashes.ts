/** Enough for every key a busy gateway sees; past it the memo starts over. */
const MAX_KEYS = 10_000;

/**
 * The sha256 of API keys that recently proved valid. Keys are looked up by their hash, and
 * hashing each request's key cost more than the rest of finding its token. Only keys that
 * matched a token are kept, so made-up keys cannot fill the memo. A pure function's memo:
 * nothing to invalidate when a token changes.
 */
export class KeyHashes {
  readonly #hashes = new Map<string, string>();

  get(key: string): string | undefined {
    return this.#hashes.get(key);
  }

  remember(key: string, hash: string): void {
    if (this.#hashes.size >= MAX_KEYS) this.#hashes.clear();
    this.#hashes.set(key, hash);
  }
}
