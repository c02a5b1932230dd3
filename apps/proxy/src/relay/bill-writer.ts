import type { Consumption, Database, Logger } from '@chat-api/db';

/**
 * Without BATCH_UPDATE_ENABLED, bills still gather this long: a transaction costs ~3 ms of
 * CPU on SQLite whatever it holds, a bill in a large one ~30 µs.
 */
const GATHER_MS = 100;
/** After a failed write, the bills wait at least this long before the next try. */
const RETRY_MS = 1000;

/**
 * Writes bills off the client's response path: each bill within GATHER_MS (or the
 * BATCH_UPDATE_INTERVAL), together with the others that arrived meanwhile, in one transaction.
 * A write the database refuses keeps its bills for the next try; shutdown writes what is left.
 */
export class BillWriter {
  private pending: Consumption[] = [];
  private writing: Promise<void> | undefined;
  private next: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly delayMs = GATHER_MS,
  ) {}

  add(bill: Consumption): void {
    this.pending.push(bill);
    this.schedule(this.delayMs);
  }

  /** Writes what has gathered, after any write still running: one at a time. */
  flush(): Promise<void> {
    this.writing = (this.writing ?? Promise.resolve()).then(() => this.writePending());
    return this.writing;
  }

  async close(): Promise<void> {
    clearTimeout(this.next);
    this.next = undefined;
    await this.flush();
    if (this.pending.length > 0) {
      this.logger.error(`billing: ${this.pending.length} bills could not be written before exit`);
    }
  }

  private schedule(delayMs: number): void {
    if (this.next) return;
    this.next = setTimeout(() => {
      this.next = undefined;
      void this.flush();
    }, delayMs);
    this.next.unref();
  }

  private async writePending(): Promise<void> {
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
      this.schedule(Math.max(this.delayMs, RETRY_MS));
    }
  }
}
