import { Op } from 'sequelize';
import type { Models } from '../models/index.js';
import { nowSeconds } from '../time.js';
import type { InvalidationBus } from './invalidation-bus.js';
import type { Logger } from './logger.js';

const POLL_MS = 500;
const RETAIN_SECONDS = 600;
const PRUNE_EVERY_POLLS = 120;

/**
 * Invalidation without Redis: writers append rows to cache_events and every node reads the rows
 * after the last id it saw, twice a second — one indexed query, so changes arrive within 1 s.
 */
export class DatabaseInvalidationBus implements InvalidationBus {
  private lastId = 0;
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

  async start(handler: (keys: string[] | null) => void): Promise<void> {
    this.lastId = ((await this.models.CacheEvent.max('id')) as number | null) ?? 0;
    this.timer = setInterval(() => {
      this.polling ??= this.poll(handler).finally(() => (this.polling = undefined));
    }, POLL_MS);
    this.timer.unref();
  }

  private async poll(handler: (keys: string[] | null) => void): Promise<void> {
    try {
      const rows = await this.models.CacheEvent.findAll({
        where: { id: { [Op.gt]: this.lastId } },
        order: [['id', 'ASC']],
        limit: 1000,
      });
      const last = rows.at(-1);
      if (last) {
        this.lastId = last.id;
        handler(rows.map((row) => row.key));
      }
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

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }
}
