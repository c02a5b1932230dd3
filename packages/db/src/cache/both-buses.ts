import type { InvalidationBus, Published } from './invalidation-bus.js';

/**
 * With Redis: changes go out through Redis pub/sub (milliseconds) and the database feed (within
 * a second) alike, and every node listens to both. A node whose Redis is down, or that missed a
 * message while it reconnected, still sees every change within a second; a change is dropped
 * twice at most, which costs one extra load.
 */
export class BothBuses implements InvalidationBus {
  constructor(
    private readonly fast: InvalidationBus,
    private readonly sure: InvalidationBus,
  ) {}

  async publish(keys: string[]): Promise<void> {
    const [fast, sure] = await Promise.allSettled([
      this.fast.publish(keys),
      this.sure.publish(keys),
    ]);
    // Announced if either carried it; only when both failed does the writer hear of it.
    if (fast.status === 'rejected' && sure.status === 'rejected') throw sure.reason;
  }

  async start(handler: (keys: string[] | null, published?: Published) => void): Promise<void> {
    await this.sure.start(handler);
    // The fast bus may miss changes (a Redis reconnect); the sure one carried them meanwhile,
    // so the cache is not dropped whole for that.
    await this.fast.start((keys, published) => {
      if (keys !== null) handler(keys, published);
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.fast.close(), this.sure.close()]);
  }
}
