import type { Consumption, Database, Logger } from '@chat-api/db';

/** After a failed write, the bills wait this long before the next try. */
const RETRY_MS = 1000;

/**
 * Writes bills off the client's response path. By default as soon as the database is free:
 * bills that arrive while a write runs go into the next one, so a busy database gets fewer,
 * larger transactions. With BATCH_UPDATE_ENABLED they gather for an interval instead. A write
 * the database refuses keeps its bills for the next try, and shutdown writes what is left.
 */
export class BillWriter {
  private pending: Consumption[] = [];
  private writing: Promise<void> | undefined;
  private readonly interval: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    /** 0: write at once. */
    private readonly batchIntervalMs = 0,
  ) {
    if (batchIntervalMs > 0) {
      this.interval = setInterval(() => void this.flush(), batchIntervalMs);
      this.interval.unref();
    }
  }

  add(bill: Consumption): void {
    this.pending.push(bill);
    if (this.batchIntervalMs === 0 && !this.retry) void this.flush();
  }

  /** Writes what has gathered; one write at a time. */
  flush(): Promise<void> {
    this.writing ??= this.writePending().finally(() => {
      this.writing = undefined;
      // A bill added as the last write finished.
      if (this.batchIntervalMs === 0 && this.pending.length > 0 && !this.retry) void this.flush();
    });
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.interval);
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.writing;
    await this.flush();
    if (this.pending.length > 0) {
      this.logger.error(`billing: ${this.pending.length} bills could not be written before exit`);
    }
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0) {
      const bills = this.pending;
      this.pending = [];
      try {
        await this.db.repos.usage.recordConsumptions(bills);
      } catch (error) {
        this.pending = bills.concat(this.pending);
        this.logger.error(
          `billing: cannot write ${bills.length} bills, will retry (${(error as Error).message})`,
        );
        this.retryLater();
        return;
      }
    }
  }

  private retryLater(): void {
    if (this.batchIntervalMs > 0 || this.retry) return; // the interval retries
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.flush();
    }, RETRY_MS);
    this.retry.unref();
  }
}
