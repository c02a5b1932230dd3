import type { Redis } from 'ioredis';
import { MemoryHoldLedger, type HoldLedger } from './hold-ledger.js';
import type { InvalidationBus } from './invalidation-bus.js';
import { isQuotaAccount } from './keys.js';
import { LocalStore } from './local-store.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestLimiter } from './request-limiter.js';
import type { Logger } from './logger.js';
import { RedisHoldLedger } from './redis-hold-ledger.js';

export const DEFAULT_TTL_SECONDS = 300;
const ANNOUNCE_RETRY_MS = 250;
const RESYNC_SPREAD_MS = 30_000;

/**
 * Two levels: a local copy in every process, and Redis shared by all nodes when configured.
 * The database stays the source of truth: a miss (or Redis being down) calls the loader.
 */
export class Cache {
  private readonly local = new LocalStore();
  /**
   * What nodes note for each other (see remember()): not copies of rows, so changes and full
   * resyncs leave them be.
   */
  private readonly notes = new LocalStore(10_000);
  /** Bumped by every invalidation, so a load that raced with one is not cached stale. */
  private generation = 0;
  /**
   * Loads under way, by key: concurrent misses on one key (a burst on a key idle past its TTL)
   * share one database read instead of each taking a connection.
   */
  private readonly loading = new Map<string, Promise<unknown>>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Changes the bus could not carry yet; announced again shortly. */
  private readonly unannounced = new Set<string>();
  private announceTimer: NodeJS.Timeout | undefined;
  /** Keys whose Redis copy could not be deleted while Redis was down; deleted once it is back. */
  private readonly pendingSharedDeletes = new Set<string>();
  /** Changes heard while this node's Redis was down: their Redis copies are dropped once back. */
  private readonly staleSharedCopies = new Set<string>();
  /** Told how long each change took to reach this node, by its bus (the proxy's metrics). */
  private readonly lagObservers = new Set<(via: 'redis' | 'database', seconds: number) => void>();
  /** Request counters, shared by every node when Redis is configured. */
  readonly rateLimiter: RateLimiter;
  /** Quota holds, keyed by the token and user cache keys: shared through Redis when configured. */
  readonly holds: HoldLedger;
  /** Where holds go while Redis is unreachable, as the rate limiter counts locally then. */
  readonly localHolds: MemoryHoldLedger;
  private readonly sharedHolds: RedisHoldLedger | undefined;

  constructor(
    private readonly bus: InvalidationBus,
    readonly logger: Logger,
    /** Redis key prefix: one namespace per database, so deployments can share a Redis. */
    private readonly prefix: string,
    private readonly shared?: Redis,
  ) {
    this.rateLimiter = new RateLimiter(prefix, shared);
    // Each ledger counts what this process holds in the other: a Redis outage moves holds to
    // memory and back while their bills are still on their way.
    const sharedHolds = (this.sharedHolds =
      shared &&
      new RedisHoldLedger(shared, prefix, {
        heldElsewhere: (account) => this.localHolds.heldOn(account),
      }));
    this.localHolds = new MemoryHoldLedger((account) => sharedHolds?.heldHere(account) ?? 0);
    this.holds = sharedHolds || this.localHolds;
  }

  /** What this process holds on an account in Redis (known here even while Redis is down). */
  heldInShared(account: string): number {
    return this.sharedHolds?.heldHere(account) ?? 0;
  }

  /** Per-key limits counted where this cache keeps shared state (Redis, else this process). */
  requestLimiter(now?: () => number): RequestLimiter {
    return new RequestLimiter({
      prefix: this.prefix,
      redis: this.shared,
      logger: this.logger,
      now,
    });
  }

  get backend(): 'memory' | 'redis' {
    return this.shared ? 'redis' : 'memory';
  }

  async start(syncFrequencySeconds: number): Promise<void> {
    await this.bus.start((keys, published) => {
      this.dropLocal(keys);
      if (keys) this.dropSharedCopies(keys);
      if (!published) return;
      // A writer's clock ahead of this node's would make it negative.
      const seconds = Math.max(0, Date.now() - published.atMs) / 1000;
      for (const observe of this.lagObservers) observe(published.via, seconds);
    });
    this.shared?.on('ready', () => {
      // Before anything else on the new connection, so no read brings an old copy back.
      this.dropSharedCopies([...this.staleSharedCopies]);
      void this.retryPendingDeletes();
    });
    this.resyncTimer = setInterval(() => this.resync(), syncFrequencySeconds * 1000);
    this.resyncTimer.unref();
  }

  /** Calls `observe` with each change's lag from its writer to this node; returns its removal. */
  onInvalidationLag(observe: (via: 'redis' | 'database', seconds: number) => void): () => void {
    this.lagObservers.add(observe);
    return () => this.lagObservers.delete(observe);
  }

  /**
   * The cached value, else the loader's (then cached). `localOnly` keeps a value out of Redis:
   * for values that hold upstream keys or are not plain JSON (a compiled routing index).
   */
  async getOrLoad<T>(
    key: string,
    load: () => Promise<T>,
    options: { ttlSeconds?: number; localOnly?: boolean } = {},
  ): Promise<T> {
    const hit = this.local.get(key);
    if (hit) return hit.value as T;
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const started = this.load(key, load, options);
    this.loading.set(key, started);
    try {
      return await started;
    } finally {
      if (this.loading.get(key) === started) this.loading.delete(key);
    }
  }

  /** A miss: Redis's copy, else the loader's; cached unless an invalidation came meanwhile. */
  private async load<T>(
    key: string,
    load: () => Promise<T>,
    options: { ttlSeconds?: number; localOnly?: boolean },
  ): Promise<T> {
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const generation = this.generation;
    const fromShared = options.localOnly ? undefined : await this.readShared(key);
    if (fromShared !== undefined) {
      this.storeLocal(key, fromShared.value, ttlSeconds, generation);
      return fromShared.value as T;
    }
    const value = await load();
    if (this.storeLocal(key, value, ttlSeconds, generation) && !options.localOnly) {
      await this.writeShared(key, value, ttlSeconds);
    }
    return value;
  }

  /**
   * Notes `value` under `key` for `ttlSeconds`: on this node, and in Redis for every node when
   * configured (e.g. which channel stored a response, so its follow-up goes there too). A note
   * is a hint: lost with Redis down on another node, and the caller copes without it.
   */
  async remember(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.notes.set(key, value, ttlSeconds);
    await this.writeShared(key, value, ttlSeconds);
  }

  /** What remember() noted under `key`, here or on another node; undefined when nothing is. */
  async recall(key: string): Promise<unknown> {
    return this.notes.get(key)?.value ?? (await this.readShared(key))?.value;
  }

  /** Drops the key on every node (and in Redis); call after the database write committed. */
  async invalidate(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    this.dropLocal(keys);
    await this.deleteShared(keys);
    try {
      await this.bus.publish(keys);
    } catch (error) {
      // The change is committed: other nodes must hear of it, so it is announced again until
      // the bus takes it (a locked or unreachable database, Redis down too).
      this.logger.warn(
        `cache: cannot announce change of ${keys.join(', ')} yet (${(error as Error).message})`,
      );
      for (const key of keys) this.unannounced.add(key);
      this.announceTimer ??= setTimeout(() => void this.announceAgain(), ANNOUNCE_RETRY_MS).unref();
    }
  }

  private async announceAgain(): Promise<void> {
    this.announceTimer = undefined;
    const keys = [...this.unannounced];
    this.unannounced.clear();
    if (keys.length > 0) await this.invalidate(keys);
  }

  async close(): Promise<void> {
    clearInterval(this.resyncTimer);
    clearTimeout(this.announceTimer);
    if (this.unannounced.size > 0) {
      await this.bus.publish([...this.unannounced]).catch((error: Error) => {
        this.logger.error(`cache: changes not announced before exit (${error.message})`);
      });
    }
    await this.holds.close();
    await this.bus.close();
    this.shared?.disconnect();
  }

  /**
   * SYNC_FREQUENCY's safety net against a change no bus carried: every entry is read again
   * within RESYNC_SPREAD_MS, each at its own moment, not all in one burst of database reads.
   */
  private resync(): void {
    this.generation++;
    this.local.expireWithin(RESYNC_SPREAD_MS);
    this.localHolds.forgetAll();
  }

  private dropLocal(keys: string[] | null): void {
    this.generation++;
    // A load under way may have read the old row: later misses start their own.
    if (keys === null) this.loading.clear();
    else for (const key of keys) this.loading.delete(key);
    if (keys === null) {
      this.local.clear();
      this.localHolds.forgetAll();
      return;
    }
    for (const key of keys) this.local.delete(key);
    // A changed token or user row: the quota holds read it again.
    const accounts = keys.filter(isQuotaAccount);
    if (accounts.length === 0) return;
    void this.localHolds.forget(accounts);
    if (this.holds !== this.localHolds) {
      this.holds.forget(accounts).catch((error: Error) => {
        this.logger.warn(`cache: cannot refresh quota holds (${error.message})`);
      });
    }
  }

  private storeLocal(key: string, value: unknown, ttlSeconds: number, generation: number): boolean {
    if (generation !== this.generation) return false;
    this.local.set(key, value, ttlSeconds);
    return true;
  }

  private async deleteShared(keys: string[]): Promise<void> {
    if (!this.shared) return;
    try {
      await this.shared.del(...keys.map((key) => this.prefix + key));
    } catch {
      for (const key of keys) this.pendingSharedDeletes.add(key);
    }
  }

  /**
   * The writer may not have reached Redis (its connection down while this node's is up): whoever
   * hears of a change drops the shared copy too. Sent before this node's next read of the key on
   * the same connection, so that read cannot bring the old value back.
   */
  private dropSharedCopies(keys: string[]): void {
    if (!this.shared || keys.length === 0) return;
    for (const key of keys) this.staleSharedCopies.delete(key);
    this.shared.del(...keys.map((key) => this.prefix + key)).catch(() => {
      for (const key of keys) this.staleSharedCopies.add(key);
    });
  }

  private async retryPendingDeletes(): Promise<void> {
    if (this.pendingSharedDeletes.size === 0) return;
    const keys = [...this.pendingSharedDeletes];
    this.pendingSharedDeletes.clear();
    await this.deleteShared(keys);
    await this.bus.publish(keys).catch(() => undefined);
  }

  private async readShared(key: string): Promise<{ value: unknown } | undefined> {
    if (!this.shared) return undefined;
    try {
      const json = await this.shared.get(this.prefix + key);
      return json === null ? undefined : { value: JSON.parse(json) as unknown };
    } catch {
      return undefined; // Redis down: the client logged it once; the database answers.
    }
  }

  private async writeShared(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!this.shared) return;
    try {
      await this.shared.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch {
      // Redis down: the value still serves from the local copy.
    }
  }
}
