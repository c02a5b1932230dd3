import { Op } from 'sequelize';
import type { Models } from '../models/index.js';
import { nowSeconds } from '../time.js';
import type { InvalidationBus, Published } from './invalidation-bus.js';
import type { Logger } from './logger.js';

const POLL_MS = 500;
const RETAIN_SECONDS = 600;
const PRUNE_EVERY_POLLS = 120;
/** How long an id skipped by the ids after it is looked for: a writer that commits late. */
const GAP_WAIT_MS = 60_000;
/** A jump in ids larger than this (a sequence reset, a restore) is not tracked id by id. */
const MAX_GAP_IDS = 1000;
/** Skipped ids looked for at once at most (an id step of 2 on a busy MySQL cluster), oldest out. */
const MAX_TRACKED_GAPS = 5000;

/**
 * Invalidation through the database: writers append rows to cache_events and every node reads
 * the rows after the last id it saw, twice a second — one indexed query, so changes arrive
 * within 1 s. On PostgreSQL and MySQL ids are handed out before commit, so concurrent writers
 * can commit a smaller id after a larger one was read: the ids skipped over (gaps) are looked
 * for again by primary key for a minute, until they appear or are known to be rolled back.
 */
export class DatabaseInvalidationBus implements InvalidationBus {
  private lastId = 0;
  /** Skipped ids, with when to stop looking for them. */
  private readonly gaps = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private polls = 0;
  private failing = false;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly models: Models,
    private readonly logger: Logger,
  ) {}

  async publish(keys: string[]): Promise<void> {
    const createdTime = nowSeconds();
    await this.models.CacheEvent.bulkCreate(keys.map((key) => ({ key, createdTime })));
  }

  async start(handler: (keys: string[] | null, published?: Published) => void): Promise<void> {
    this.lastId = ((await this.models.CacheEvent.max('id')) as number | null) ?? 0;
    this.timer = setInterval(() => {
      this.polling ??= this.poll(handler).finally(() => (this.polling = undefined));
    }, POLL_MS);
    this.timer.unref();
  }

  private async poll(
    handler: (keys: string[] | null, published?: Published) => void,
  ): Promise<void> {
    try {
      const after = { id: { [Op.gt]: this.lastId } };
      const rows = await this.models.CacheEvent.findAll({
        where:
          this.gaps.size === 0
            ? after
            : { [Op.or]: [after, { id: { [Op.in]: [...this.gaps.keys()] } }] },
        order: [['id', 'ASC']],
        limit: 1000,
      });
      if (rows.length > 0) {
        // The oldest change read (BIGINT: a string on some dialects), in whole seconds.
        let oldest = Infinity;
        for (const row of rows) oldest = Math.min(oldest, Number(row.createdTime));
        handler(
          rows.map((row) => row.key),
          { via: 'database', atMs: oldest * 1000 },
        );
      }
      this.advance(rows.map((row) => row.id));
      if (this.failing) {
        this.failing = false;
        this.logger.info('cache invalidation: database reachable again, cache cleared');
        handler(null);
      }
      if (++this.polls % PRUNE_EVERY_POLLS === 0) {
        await this.models.CacheEvent.destroy({
          where: { createdTime: { [Op.lt]: nowSeconds() - RETAIN_SECONDS } },
        });
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `cache invalidation: cannot read cache_events (${(error as Error).message})`,
        );
      }
    }
  }

  /** Moves past the ids read, remembering those skipped; forgets gaps looked for long enough. */
  private advance(ids: number[]): void {
    const now = Date.now();
    for (const id of ids) {
      if (id <= this.lastId) {
        this.gaps.delete(id);
        continue;
      }
      if (id - this.lastId - 1 <= MAX_GAP_IDS) {
        for (let gap = this.lastId + 1; gap < id; gap++) this.gaps.set(gap, now + GAP_WAIT_MS);
      }
      this.lastId = id;
    }
    // Oldest first (ids are added in order), so both prunes stop at the first one they keep.
    for (const [id, until] of this.gaps) {
      if (until >= now && this.gaps.size <= MAX_TRACKED_GAPS) break;
      this.gaps.delete(id);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }
}
