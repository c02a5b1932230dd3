import type { Consumption, Database, Logger } from '@chat-api/db';

/**
 * BATCH_UPDATE_ENABLED: bills gather in memory and reach the database together every interval
 * (one update per key, user and channel, one insert for the logs) and at shutdown. A flush the
 * database refuses is kept and tried again, so no answered request goes unbilled.
 */
export class BillingBatch {
  private pending: Consumption[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  add(bill: Consumption): Promise<void> {
    this.pending.push(bill);
    return Promise.resolve();
  }

  /** Writes what has gathered; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
  }

  private async write(): Promise<void> {
    const bills = this.pending;
    if (bills.length === 0) return;
    this.pending = [];
    try {
      await this.db.repos.usage.recordConsumptions(bills);
    } catch (error) {
      this.pending = bills.concat(this.pending);
      this.logger.error(
        `billing: cannot write ${bills.length} bills, will retry (${(error as Error).message})`,
      );
    }
  }
}
