import {
  isTransientDatabaseError,
  type Consumption,
  type Database,
  type Logger,
} from '@chat-api/db';
import { billJson, plainBill } from './refused-bill.js';

/**
 * Without BATCH_UPDATE_ENABLED, bills still gather this long: a transaction costs ~3 ms of
 * CPU on SQLite whatever it holds, a bill in a large one ~30 µs.
 */
const GATHER_MS = 100;
/** After a failed write, the bills wait at least this long before the next try. */
const RETRY_MS = 1000;
/** BILL_BACKLOG_LIMIT's default. */
const BACKLOG_LIMIT = 10_000;

/**
 * Writes bills off the client's response path: each bill within GATHER_MS (or the
 * BATCH_UPDATE_INTERVAL), together with the others that arrived meanwhile, in one transaction.
 * A write the database cannot take now (busy, locked, unreachable) keeps its bills for the
 * next try; a bill whose data it refuses is set apart so that billing never stops for
 * everyone (write()). Shutdown writes what is left.
 */
export class BillWriter {
  private pending: Consumption[] = [];
  private writing: Promise<void> | undefined;
  private next: NodeJS.Timeout | undefined;
  /**
   * Bills of a write that failed: its COMMIT may have succeeded without the answer arriving,
   * so writing them again first looks for their logs. Other bills skip that lookup.
   */
  private readonly attempted = new WeakSet<Consumption>();
  /** Bills the database refused, charged with a plain log row instead (plainBill()). */
  private plainCount = 0;
  /** Bills not even that could write: reported in the log, not charged. */
  private droppedCount = 0;
  /** For /metrics: bills in the write under way, bills written, writes that failed. */
  private writingCount = 0;
  private writtenCount = 0;
  private failedWriteCount = 0;
  /** The last write failed: the database is down, locked or refusing. */
  private failing = false;
  private readonly delayMs: number;
  private readonly backlogLimit: number;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    options: { delayMs?: number | undefined; backlogLimit?: number | undefined } = {},
  ) {
    this.delayMs = options.delayMs ?? GATHER_MS;
    this.backlogLimit = options.backlogLimit ?? BACKLOG_LIMIT;
  }

  /**
   * Whether new requests should wait: the bills the database has not taken reached
   * BILL_BACKLOG_LIMIT while it keeps failing or is still busy with a write (a database slowed
   * by locks is as unable to keep up as one that is down). Answers already given are billed;
   * more would only add to what a node killed now could not charge. A backlog that merely
   * gathers between writes (BATCH_UPDATE) never counts.
   */
  get backlogged(): boolean {
    return (this.failing || this.writingCount > 0) && this.queueDepth >= this.backlogLimit;
  }

  /** How many refused bills were charged with a plain log row, and how many were dropped. */
  get refusals(): { plain: number; dropped: number } {
    return { plain: this.plainCount, dropped: this.droppedCount };
  }

  /** Bills not written yet: gathering, waiting for a retry, or in the write under way. */
  get queueDepth(): number {
    return this.pending.length + this.writingCount;
  }

  get written(): number {
    return this.writtenCount;
  }

  /** Writes that failed; their bills were kept for the next try or set apart. */
  get failedWrites(): number {
    return this.failedWriteCount;
  }

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
    this.writingCount = bills.length;
    const unwritten = await this.write(bills);
    this.writingCount = 0;
    if (unwritten.length > 0) {
      this.pending = unwritten.concat(this.pending);
      this.schedule(Math.max(this.delayMs, RETRY_MS));
    }
  }

  /**
   * Writes bills and returns those to try again. When the database refuses a batch's data,
   * the batch is halved until the refused bill is alone: the others are written (a bad bill
   * among n costs about 2·log2(n) more transactions), and that one is set apart.
   */
  private async write(bills: Consumption[]): Promise<Consumption[]> {
    try {
      const mayBeLogged = bills.some((bill) => this.attempted.has(bill));
      await this.db.repos.usage.recordConsumptions(bills, { mayBeLogged });
      this.writtenCount += bills.length;
      this.failing = false;
      return [];
    } catch (error) {
      this.failedWriteCount += 1;
      for (const bill of bills) this.attempted.add(bill);
      if (!(await this.refusedData(error))) {
        this.failing = true;
        this.logger.error(
          `billing: cannot write ${bills.length} bills, will retry (${messageOf(error)})`,
        );
        return bills;
      }
      if (bills.length === 1) return this.setApart(bills[0]!, messageOf(error));
      const half = Math.ceil(bills.length / 2);
      const first = await this.write(bills.slice(0, half));
      if (first.length > 0) return first.concat(bills.slice(half));
      return this.write(bills.slice(half));
    }
  }

  /** A refused bill is charged with a plain log row; if even that is refused, reported. */
  private async setApart(bill: Consumption, reason: string): Promise<Consumption[]> {
    try {
      await this.db.repos.usage.recordConsumptions([plainBill(bill, reason)]);
      this.plainCount += 1;
      this.logger.error(
        `billing: the database refused a bill (${reason}); charged with a plain log row: ${billJson(bill)}`,
      );
      return [];
    } catch (error) {
      this.failedWriteCount += 1;
      if (!(await this.refusedData(error))) return [bill];
      this.droppedCount += 1;
      this.logger.error(
        `billing: a bill cannot be written (${reason}; then ${messageOf(error)}); not charged: ${billJson(bill)}`,
      );
      // Not charged, so not held either: its quota is free again.
      await this.db.repos.usage
        .release(bill, bill.held)
        .catch((release: unknown) =>
          this.logger.error(
            `billing: cannot release a dropped bill's hold (${messageOf(release)})`,
          ),
        );
      return [];
    }
  }

  /**
   * Whether the database refused the data rather than the write: the error is none of a
   * busy, locked or unreachable database's, and a write transaction succeeds right after
   * (an unreachable server that the error did not name is caught here).
   */
  private async refusedData(error: unknown): Promise<boolean> {
    if (isTransientDatabaseError(error)) return false;
    try {
      await this.db.repos.logs.probeWrite();
      return true;
    } catch {
      return false;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
