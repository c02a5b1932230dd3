import type { Redis } from 'ioredis';
import type { InvalidationBus, Published } from './invalidation-bus.js';
import { connectRedis } from './redis-client.js';

/**
 * The last element of a message: when it was published (for the invalidation lag metric). A node
 * of an earlier version reads it as one more key to drop, a key no cache holds, so versions mix.
 */
const PUBLISHED_AT = '@published:';

/** Invalidation through Redis pub/sub; a reconnect means messages may be lost, so it says so. */
export class RedisInvalidationBus implements InvalidationBus {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {}

  async publish(keys: string[]): Promise<void> {
    const message = JSON.stringify([...keys, `${PUBLISHED_AT}${Date.now()}`]);
    await this.publisher.publish(this.channel, message);
  }

  async start(handler: (keys: string[] | null, published?: Published) => void): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      const keys = JSON.parse(message) as string[];
      const last = keys.at(-1);
      if (!last?.startsWith(PUBLISHED_AT)) return handler(keys);
      keys.pop();
      handler(keys, { via: 'redis', atMs: Number(last.slice(PUBLISHED_AT.length)) });
    });
    let connectedOnce = false;
    this.subscriber.on('ready', () => {
      if (!connectedOnce) return;
      // Whatever was published while the connection was down is gone.
      handler(null);
      // A failure here means the connection went again; its next 'ready' tries again.
      this.subscriber.subscribe(this.channel).catch(() => undefined);
    });
    await connectRedis(this.subscriber);
    await this.subscriber.subscribe(this.channel);
    connectedOnce = true;
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
