import type { Redis } from 'ioredis';
import type { InvalidationBus } from './invalidation-bus.js';
import { connectRedis } from './redis-client.js';

/** Invalidation through Redis pub/sub; a reconnect means messages may be lost, so it says so. */
export class RedisInvalidationBus implements InvalidationBus {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {}

  async publish(keys: string[]): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(keys));
  }

  async start(handler: (keys: string[] | null) => void): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      handler(JSON.parse(message) as string[]);
    });
    let connectedOnce = false;
    this.subscriber.on('ready', () => {
      // ioredis resubscribes on reconnect; whatever was published meanwhile is gone.
      if (connectedOnce) handler(null);
      connectedOnce = true;
    });
    await connectRedis(this.subscriber);
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
