/**
 * Quota holds (DESIGN §6): what in-flight requests have reserved against an account — a key's
 * remaining quota or its owner's — so a burst of concurrent requests cannot spend far past it.
 *
 * An account's available quota = its remaining quota in the database (`remain`) − what bills
 * written since that read took (`latest − used`) − what in-flight and unwritten requests hold
 * (`outstanding`). `used` is the account's used quota read together with `remain`; every bill
 * written reports the used quota it left (`usedAfter`), and `latest` keeps the largest. Used
 * quota only grows, so this is exact however bills and reads interleave, on one node or many,
 * and admission never waits for the database. A console change to the quota drops the read
 * (`forget`); the next request reads the row again.
 *
 * Admission keeps "at most one request past the quota" even when a hold is below the request's
 * cost: a request is admitted while every account's available quota covers its hold; when one
 * does not but still has some, only a request that runs alone on it is admitted (nothing else is
 * held there). Amounts are whole quota, checked at this boundary: a non-finite or fractional
 * number would turn the sums into NaN, which compares as neither above nor below zero.
 */
export interface HoldLedger {
  /** Holds `amount` on every account while each has quota available, else names the first without. */
  hold(accounts: readonly string[], amount: number): Promise<HoldOutcome>;
  /** Stores an account's row as read, unless it was forgotten since `version` (a stale read). */
  setBase(account: string, version: number, base: AccountBase): Promise<void>;
  /**
   * Gives (part of) a hold back: nothing was billed, or the bill came to less. A negative
   * amount grows the hold: the request cost more than it held.
   */
  release(accounts: readonly string[], amount: number): Promise<void>;
  /** Bills reached the database: their holds end, and each account's used quota is known. */
  settle(settlements: readonly Settlement[]): Promise<void>;
  /** The rows changed outside billing (a top-up, an edit): read them again before the next hold. */
  forget(accounts: readonly string[]): Promise<void>;
  /** Writes what failed to reach the ledger and can now (shutdown awaits it before `close`). */
  drain(): Promise<void>;
  /** Shutdown: writes what can still be written; nothing is held on the caller's behalf after. */
  close(): Promise<void>;
}

export type HoldOutcome =
  | { kind: 'held' }
  | { kind: 'refused'; account: string }
  /** The account's row must be read first (then `setBase` with this version, and hold again). */
  | { kind: 'read'; account: string; version: number };

export interface AccountBase {
  remain: number;
  used: number;
}

export interface Settlement {
  account: string;
  /** What the request held; the bill, now in the database, replaces it. */
  held: number;
  /** The account's used quota right after the bill was written. */
  usedAfter: number;
}

interface Account {
  /** Bumped by `forget`, so a read that raced with a change is not stored. */
  version: number;
  base: AccountBase | undefined;
  latest: number;
  outstanding: number;
}

/** The holds of one process: exact for a single proxy node (SQLite, or no Redis). */
export class MemoryHoldLedger implements HoldLedger {
  private readonly accounts = new Map<string, Account>();

  /**
   * `heldElsewhere`: what this process holds on an account in another ledger. The fallback for
   * a Redis outage counts this node's Redis holds too, whose bills may not be written yet.
   */
  constructor(private readonly heldElsewhere: (account: string) => number = () => 0) {}

  hold(accounts: readonly string[], amount: number): Promise<HoldOutcome> {
    return promised(() => {
      checkQuota('hold', amount);
      return this.holdNow(accounts, amount);
    });
  }

  /** Checks and reserves in one synchronous step: nothing can interleave. */
  private holdNow(accounts: readonly string[], amount: number): HoldOutcome {
    for (const name of accounts) {
      const account = this.account(name);
      if (!account.base) return { kind: 'read', account: name, version: account.version };
      const outstanding = account.outstanding + this.heldElsewhere(name);
      const available = account.base.remain - (account.latest - account.base.used) - outstanding;
      if (!admits(available, amount, outstanding)) {
        return { kind: 'refused', account: name };
      }
    }
    for (const name of accounts) this.account(name).outstanding += amount;
    return { kind: 'held' };
  }

  setBase(name: string, version: number, base: AccountBase): Promise<void> {
    return promised(() => {
      checkBase(base);
      const account = this.account(name);
      if (account.version === version) {
        account.base = base;
        account.latest = Math.max(account.latest, base.used);
      }
    });
  }

  release(accounts: readonly string[], amount: number): Promise<void> {
    return promised(() => {
      checkChange(amount);
      for (const name of accounts) this.account(name).outstanding -= amount;
    });
  }

  settle(settlements: readonly Settlement[]): Promise<void> {
    return promised(() => {
      for (const settlement of settlements) checkSettlement(settlement);
      for (const { account: name, held, usedAfter } of settlements) {
        // A bill held in the other ledger only teaches its used quota to accounts known here.
        const account = held === 0 ? this.accounts.get(name) : this.account(name);
        if (!account) continue;
        account.outstanding -= held;
        account.latest = Math.max(account.latest, usedAfter);
      }
    });
  }

  forget(accounts: readonly string[]): Promise<void> {
    for (const name of accounts) {
      const account = this.accounts.get(name);
      if (account) unread(account);
    }
    return Promise.resolve();
  }

  /** Nothing to write: every step here is synchronous. */
  drain(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** What is held on the account here (for the other ledger of the same process). */
  heldOn(name: string): number {
    return Math.max(0, this.accounts.get(name)?.outstanding ?? 0);
  }

  /** The periodic full resync: every row is read again. */
  forgetAll(): void {
    for (const account of this.accounts.values()) unread(account);
  }

  private account(name: string): Account {
    let account = this.accounts.get(name);
    if (!account) {
      account = { version: 0, base: undefined, latest: 0, outstanding: 0 };
      this.accounts.set(name, account);
    }
    return account;
  }
}

/** A synchronous step as a promise: what it throws becomes the rejection. */
function promised<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/**
 * The admission rule: the available quota covers the hold, or some is left and nothing else is
 * held on the account (the one request that may pass the quota runs alone).
 */
export function admits(available: number, amount: number, outstanding: number): boolean {
  return available >= amount || (available > 0 && outstanding <= 0);
}

/** Quota amounts are whole, non-negative and exact in a double. */
export function checkQuota(what: string, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`quota: cannot ${what} ${amount} (not a whole, non-negative quota)`);
  }
}

/** A change to a hold (a release, or a growth when negative): whole and exact in a double. */
export function checkChange(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`quota: cannot change a hold by ${amount} (not a whole quota)`);
  }
}

/** A balance read from the database: whole numbers (remain may be negative after a bill). */
export function checkBase({ remain, used }: AccountBase): void {
  if (!Number.isSafeInteger(remain) || !Number.isSafeInteger(used)) {
    throw new RangeError(`quota: the balance ${remain} / ${used} is not whole numbers`);
  }
}

export function checkSettlement({ held, usedAfter }: Settlement): void {
  checkQuota('settle', held);
  if (!Number.isSafeInteger(usedAfter)) {
    throw new RangeError(`quota: used quota ${usedAfter} is not a whole number`);
  }
}

/** Drops the account's read; what it holds stays. */
function unread(account: Account): void {
  account.version++;
  account.base = undefined;
  account.latest = 0;
}
