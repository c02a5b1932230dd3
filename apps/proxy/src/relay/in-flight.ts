/**
 * The relayed requests in flight, as shutdown sees them: it waits for them to end (a request
 * hands its bill to the bill writer before its relay returns), and when its limit passes it cuts
 * the streams still open. Plain counters and a set: the relay pays for this on every request.
 */
export class InFlight {
  private requests = 0;
  private whenIdle: { promise: Promise<void>; resolve(): void } | undefined;
  private readonly cuts = new Set<() => void>();
  private cutting = false;

  /** Runs one relayed request, counted until it has ended. */
  async run(relay: () => Promise<void>): Promise<void> {
    this.requests++;
    try {
      await relay();
    } finally {
      if (--this.requests === 0) this.whenIdle?.resolve();
    }
  }

  /** Resolves once no relayed request is running. */
  ended(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    if (!this.whenIdle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.whenIdle = { promise, resolve };
      void promise.then(() => (this.whenIdle = undefined));
    }
    return this.whenIdle.promise;
  }

  /** Registers a stream's cut; returns its removal. A stream that opens after the cut is cut at once. */
  trackStream(cut: () => void): () => void {
    if (this.cutting) {
      cut();
      return () => undefined;
    }
    this.cuts.add(cut);
    return () => this.cuts.delete(cut);
  }

  get running(): number {
    return this.requests;
  }

  get openStreams(): number {
    return this.cuts.size;
  }

  /** Cuts every open stream, and every stream that opens from now on. */
  cutStreams(): void {
    this.cutting = true;
    for (const cut of this.cuts) cut();
    this.cuts.clear();
  }
}
