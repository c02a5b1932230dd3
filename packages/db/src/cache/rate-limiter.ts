import type { Redis } from 'ioredis';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (0 when allowed). */
  retryAfterSeconds: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters: per process, or shared by every node through Redis when configured.
 * If Redis is unreachable the node counts locally rather than refusing or waving through all.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private sweepAt = 0;

  constructor(
    private readonly prefix: string,
    private readonly shared?: Redis,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    if (this.shared) {
      try {
        return await this.hitShared(key, limit, windowSeconds);
      } catch {
        // Redis down: fall through to the local count.
      }
    }
    return this.hitLocal(key, limit, windowSeconds);
  }

  private async hitShared(
    key: string,
    limit: number,
    windowSeconds: number,
  ): Promise<RateLimitResult> {
    const redisKey = `${this.prefix}rate:${key}`;
    const replies = await this.shared!.multi().incr(redisKey).ttl(redisKey).exec();
    const count = Number(replies?.[0]?.[1] ?? 0);
    let ttl = Number(replies?.[1]?.[1] ?? -1);
    if (ttl < 0) {
      await this.shared!.expire(redisKey, windowSeconds);
      ttl = windowSeconds;
    }
    return count <= limit
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: ttl };
  }

  private hitLocal(key: string, limit: number, windowSeconds: number): RateLimitResult {
    const now = Date.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count <= limit
      ? { allowed: true, retryAfterSeconds: 0 }
      : { allowed: false, retryAfterSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }

  /** Forgets finished windows now and then, so the map stays as large as the active clients. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + 60_000;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
