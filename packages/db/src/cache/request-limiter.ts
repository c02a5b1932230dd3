import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** A request admitted under a concurrency limit; releasing it frees its place. */
export interface Slot {
  /** Resolves once the place is free on every node; never rejects. */
  release(): Promise<void>;
}

/** What a key may do this minute, and how much of it it did. */
export interface MinuteLimits {
  /** Requests per minute; 0 = none. */
  rpm: number;
  /** Tokens per minute; 0 = none. */
  tpm: number;
}

/** Why a request was refused, and when the minute that refused it ends. */
export interface MinuteRefusal {
  exceeded: keyof MinuteLimits;
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;
/** A node's mark in Redis lives this long unless renewed; its slots vanish with it. */
const NODE_TTL_SECONDS = 30;
const NODE_RENEW_MS = 10_000;
/** A key's slots live this long without any admission: a safety net, not a limit. */
const SLOTS_TTL_SECONDS = 86_400;

// Counts the slots of nodes still alive (dropping the dead ones' entries) and takes one if the
// limit leaves room. KEYS[1] slots hash (node → count); ARGV node id, limit, node key prefix.
const ACQUIRE_SLOT = `
local total = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] == ARGV[1] or redis.call('EXISTS', ARGV[3] .. fields[i]) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ${SLOTS_TTL_SECONDS})
return 1`;

// Never below zero: another node may have dropped this node's entry while Redis missed a renewal.
const RELEASE_SLOT = `
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

interface SlotCommands {
  chatApiAcquireSlot(key: string, node: string, limit: number, nodePrefix: string): Promise<number>;
  chatApiReleaseSlot(key: string, node: string): Promise<number>;
}

/**
 * Per-key request limits (DESIGN §5b): requests and tokens per clock minute, and requests in
 * flight. With Redis every node counts in the same place, so a limit holds across proxies;
 * without it (or while Redis is down) each node counts exactly for itself. Minute windows are
 * the clock's, so all nodes agree on them; a node's concurrency entries vanish with the node.
 */
export class RequestLimiter {
  private readonly minuteCounts = new Map<string, { minute: number; count: number }>();
  private readonly localSlots = new Map<string, number>();
  /** This process among the nodes counting in Redis. */
  readonly nodeId = randomUUID();
  private nodeMark: Promise<void> | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private sharedFailing = false;
  private sweptMinute = 0;

  constructor(
    private readonly options: {
      /** Key prefix in Redis: one namespace per database. */
      prefix: string;
      redis?: Redis | undefined;
      logger: Logger;
      /** Milliseconds since the epoch; tests move it. */
      now?: () => number;
    },
  ) {
    const redis = options.redis;
    if (redis && !('chatApiAcquireSlot' in redis)) {
      redis.defineCommand('chatApiAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE_SLOT });
      redis.defineCommand('chatApiReleaseSlot', { numberOfKeys: 1, lua: RELEASE_SLOT });
    }
  }

  /**
   * Counts a request against its key's minute and checks the tokens the minute has seen.
   * Undefined when admitted, else the limit it is over and the seconds until the minute ends.
   */
  async admitRequest(key: string, limits: MinuteLimits): Promise<MinuteRefusal | undefined> {
    const now = this.now();
    const minute = Math.floor(now / WINDOW_MS);
    const counts =
      (await this.shared((redis) => this.sharedMinute(redis, key, minute, limits))) ??
      this.localMinute(key, minute, limits);
    const exceeded =
      limits.rpm > 0 && counts.requests > limits.rpm
        ? 'rpm'
        : limits.tpm > 0 && counts.tokens >= limits.tpm
          ? 'tpm'
          : undefined;
    if (!exceeded) return undefined;
    return {
      exceeded,
      retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * WINDOW_MS - now) / 1000)),
    };
  }

  /** Counts the tokens a finished request used against its key's minute. */
  async addTokens(key: string, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    const minute = Math.floor(this.now() / WINDOW_MS);
    const counted = await this.shared(async (redis) => {
      const counter = this.counterKey('tpm', key, minute);
      await redis.multi().incrby(counter, tokens).expire(counter, 120).exec();
      return true;
    });
    if (!counted) this.localCount('tpm', key, minute, tokens);
  }

  /** A place among the key's requests in flight, or undefined when `limit` are. */
  async acquireSlot(key: string, limit: number): Promise<Slot | undefined> {
    const redis = this.options.redis as (Redis & SlotCommands) | undefined;
    const slotsKey = `${this.options.prefix}slots:${key}`;
    const shared = await this.shared(async () => {
      await this.markNode();
      const taken = await redis!.chatApiAcquireSlot(
        slotsKey,
        this.nodeId,
        limit,
        this.nodeKeyPrefix(),
      );
      return { taken: taken === 1 };
    });
    if (shared) {
      if (!shared.taken) return undefined;
      return {
        release: () =>
          redis!.chatApiReleaseSlot(slotsKey, this.nodeId).then(
            () => undefined,
            (error: Error) => {
              // The node's entry still counts it until the node's mark lapses.
              this.options.logger.warn(`limits: cannot free a slot of ${key} (${error.message})`);
            },
          ),
      };
    }
    const inFlight = this.localSlots.get(key) ?? 0;
    if (inFlight >= limit) return undefined;
    this.localSlots.set(key, inFlight + 1);
    return {
      release: () => {
        const left = (this.localSlots.get(key) ?? 1) - 1;
        if (left > 0) this.localSlots.set(key, left);
        else this.localSlots.delete(key);
        return Promise.resolve();
      },
    };
  }

  /** Stops renewing this node's mark and removes it: its slots stop counting at once. */
  async close(): Promise<void> {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    if (this.nodeMark && this.options.redis?.status === 'ready') {
      await this.options.redis.del(this.nodeKey()).catch(() => undefined);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Runs `work` on Redis; undefined when there is none or it fails (the caller counts here). */
  private async shared<T>(work: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    const redis = this.options.redis;
    if (!redis) return undefined;
    try {
      const result = await work(redis);
      this.sharedFailing = false;
      return result;
    } catch (error) {
      if (!this.sharedFailing) {
        this.options.logger.warn(
          `limits: counting on this node, Redis failed (${(error as Error).message})`,
        );
      }
      this.sharedFailing = true;
      return undefined;
    }
  }

  private async sharedMinute(redis: Redis, key: string, minute: number, limits: MinuteLimits) {
    const requests = this.counterKey('rpm', key, minute);
    const tokens = this.counterKey('tpm', key, minute);
    const batch = redis.multi();
    if (limits.rpm > 0) batch.incr(requests).expire(requests, 120);
    if (limits.tpm > 0) batch.get(tokens);
    const replies = (await batch.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    return {
      requests: limits.rpm > 0 ? Number(replies[0]![1]) : 0,
      tokens: limits.tpm > 0 ? Number(replies[replies.length - 1]![1] ?? 0) : 0,
    };
  }

  private localMinute(key: string, minute: number, limits: MinuteLimits) {
    return {
      requests: limits.rpm > 0 ? this.localCount('rpm', key, minute, 1) : 0,
      tokens: limits.tpm > 0 ? this.localCount('tpm', key, minute, 0) : 0,
    };
  }

  /** Adds to this node's count for the minute and returns it. */
  private localCount(kind: 'rpm' | 'tpm', key: string, minute: number, add: number): number {
    this.sweep(minute);
    const name = `${kind}:${key}`;
    let counter = this.minuteCounts.get(name);
    if (!counter || counter.minute !== minute) {
      counter = { minute, count: 0 };
      this.minuteCounts.set(name, counter);
    }
    counter.count += add;
    return counter.count;
  }

  /** Forgets past minutes once a minute, so the map stays as large as the active keys. */
  private sweep(minute: number): void {
    if (minute === this.sweptMinute) return;
    this.sweptMinute = minute;
    for (const [name, counter] of this.minuteCounts) {
      if (counter.minute !== minute) this.minuteCounts.delete(name);
    }
  }

  private counterKey(kind: 'rpm' | 'tpm', key: string, minute: number): string {
    return `${this.options.prefix}${kind}:${key}:${minute}`;
  }

  private nodeKeyPrefix(): string {
    return `${this.options.prefix}node:`;
  }

  private nodeKey(): string {
    return this.nodeKeyPrefix() + this.nodeId;
  }

  /** Marks this node alive in Redis (renewed while it runs), so its slots count. */
  private markNode(): Promise<void> {
    const redis = this.options.redis!;
    const mark = () => redis.set(this.nodeKey(), '1', 'EX', NODE_TTL_SECONDS).then(() => undefined);
    if (!this.nodeMark) {
      this.nodeMark = mark();
      // Marked again at the next admission when this attempt fails.
      this.nodeMark.catch(() => (this.nodeMark = undefined));
    }
    if (!this.renewTimer) {
      this.renewTimer = setInterval(() => void mark().catch(() => undefined), NODE_RENEW_MS);
      this.renewTimer.unref();
    }
    return this.nodeMark;
  }
}
