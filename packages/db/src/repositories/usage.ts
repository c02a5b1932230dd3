import type { Sequelize } from 'sequelize';
import type { Cache } from '../cache/cache.js';
import type { AccountBase, HoldLedger, Settlement } from '../cache/hold-ledger.js';
import { CacheKeys } from '../cache/keys.js';
import type { Models } from '../models/index.js';
import { LogType } from '../models/log.js';
import { TokenStatus } from '../models/token.js';
import { nowSeconds } from '../time.js';
import {
  billStatements,
  tokenAfter,
  userAfter,
  type TokenAfterRow,
  type UserAfterRow,
} from './bill-statements.js';
import { billedRequestStatements } from './billed-requests.js';
import { loggedRequestsLookup, storedRequestIds } from './logged-requests.js';
import { prepaidHolds } from './prepaid-holds.js';
import { logInsertStatements, type NewLog } from './logs.js';
import { enqueueNotification, quotaNotice } from './notifications.js';
import { transactionSql, type TransactionSql } from './transaction-sql.js';
import type { Invalidate } from './types.js';

/** Whose quota a request spends: the API key (unless unlimited) and always its owner. */
export interface Payer {
  tokenId: number;
  /** The key's hash, to refresh every node's cached copy when its quota or status changes. */
  keyHash: string;
  userId: number;
  /** Unlimited tokens keep their remaining quota; their owner still pays. */
  unlimitedQuota: boolean;
}

export type HoldRefusal = 'token_exhausted' | 'insufficient_user_quota';

/** What a request holds until its bill is written. */
export interface HeldQuota {
  amount: number;
  /** Held in this process's ledger because Redis was unreachable at admission. */
  local: boolean;
  /**
   * Also deducted from the database rows at admission, Redis being unreachable
   * (prepaid-holds.ts): the bill charges the rest. 0 or absent for holds in Redis.
   */
  prepaid?: number;
  /** The deduction moving to the exact cost: the bill waits for it. */
  adjusting?: Promise<void>;
}

export interface Consumption extends Payer {
  channelId: number;
  /** The exact cost. */
  quota: number;
  /** What the request held at admission; the written bill replaces it. */
  held: HeldQuota;
  /** QuotaRemindThreshold: crossing it (or reaching zero) writes the owner a system log. */
  remindBelow: number;
  log: NewLog;
  /** LogConsumeEnabled: false bills without writing `log` (the request id is still recorded). */
  keepLog?: boolean;
}

const keepsLog = (bill: Consumption) => bill.keepLog !== false;

/** Reading an account more often than this in one admission means it keeps changing. */
const MAX_READS = 20;

/**
 * Quota holds and bills (DESIGN §6). Admission holds in the cache's ledger (this process's, or
 * Redis shared by every node) — no database write on the request's path; the database gets
 * the exact bills, and stays the source of truth the ledger reads its balances from.
 */
export function usageRepository(
  sequelize: Sequelize,
  { Token, User, Log, Notification }: Models,
  cache: Cache,
  invalidate: Invalidate,
) {
  let sharedHoldsFailing = false;
  const statements = billStatements(sequelize);
  const billedRequests = billedRequestStatements(sequelize);
  const prepaid = prepaidHolds(sequelize, { Token, User }, cache);

  /** The ledger accounts a payer spends from: its key (unless unlimited) and its owner. */
  function accountsOf(payer: Payer): string[] {
    const owner = CacheKeys.user(payer.userId);
    return payer.unlimitedQuota ? [owner] : [CacheKeys.token(payer.keyHash), owner];
  }

  async function readBase(payer: Payer, account: string): Promise<AccountBase> {
    if (account === CacheKeys.user(payer.userId)) {
      const user = await User.findByPk(payer.userId, { attributes: ['quota', 'usedQuota'] });
      return { remain: Number(user?.quota ?? 0), used: Number(user?.usedQuota ?? 0) };
    }
    const token = await Token.findByPk(payer.tokenId, {
      attributes: ['remainQuota', 'usedQuota'],
    });
    return { remain: Number(token?.remainQuota ?? 0), used: Number(token?.usedQuota ?? 0) };
  }

  /**
   * Balance reads under way, by ledger account and version: a burst of admissions on an account
   * the ledger does not know shares one read (each would otherwise take a connection).
   */
  const reading = new Map<string, Promise<AccountBase>>();

  function readBaseOnce(payer: Payer, account: string, version: number): Promise<AccountBase> {
    const key = `${version}@${account}`;
    let read = reading.get(key);
    if (!read) {
      read = readBase(payer, account).finally(() => reading.delete(key));
      reading.set(key, read);
    }
    return read;
  }

  /**
   * Prepaid holds changed the rows behind the shared ledger's balances: it reads them again (on
   * every node) rather than count the change twice. With Redis still down this fails, and the
   * ledger reads every balance again once Redis is back anyway.
   */
  function rereadShared(payers: readonly Payer[]): void {
    const accounts = [...new Set(payers.flatMap(accountsOf))];
    cache.holds.forget(accounts).catch(() => undefined);
  }

  /**
   * Redis is down: the hold this node's own ledger admitted is also taken from the database
   * rows, which every node shares, so the nodes together pass a quota by one request at most
   * (each alone would admit up to the whole balance). Refused there, the local hold goes back.
   */
  async function prepayLocalHold(payer: Payer, amount: number): Promise<HoldRefusal | undefined> {
    const accounts = accountsOf(payer);
    let refusal: HoldRefusal | undefined;
    try {
      refusal = await prepaid.take(payer, amount, (account) => {
        const inRedis = cache.heldInShared(account);
        return {
          hidden: inRedis,
          outstanding: inRedis + cache.localHolds.heldOn(account) - amount,
        };
      });
    } catch (error) {
      await cache.localHolds.release(accounts, amount);
      throw error;
    }
    if (refusal) await cache.localHolds.release(accounts, amount);
    else rereadShared([payer]);
    return refusal;
  }

  async function holdIn(ledger: HoldLedger, payer: Payer, amount: number) {
    const accounts = accountsOf(payer);
    for (let reads = 0; reads < MAX_READS; reads++) {
      const outcome = await ledger.hold(accounts, amount);
      if (outcome.kind !== 'read') return outcome;
      const base = await readBaseOnce(payer, outcome.account, outcome.version);
      await ledger.setBase(outcome.account, outcome.version, base);
    }
    throw new Error(`quota: the balance of ${accounts.join(', ')} keeps changing`);
  }

  function ledgerOf(held: HeldQuota): HoldLedger {
    return held.local ? cache.localHolds : cache.holds;
  }

  return {
    /** Holds `amount` while the key and its owner both have quota available. */
    async hold(
      payer: Payer,
      amount: number,
    ): Promise<{ held: HeldQuota } | { refusal: HoldRefusal }> {
      let local = false;
      let outcome;
      try {
        outcome = await holdIn(cache.holds, payer, amount);
        sharedHoldsFailing = false;
      } catch (error) {
        if (cache.holds === cache.localHolds) throw error;
        // Redis is down: hold in this process until it is back, as rate limits do.
        if (!sharedHoldsFailing) {
          cache.logger.warn(`quota: holding locally, Redis failed (${(error as Error).message})`);
        }
        sharedHoldsFailing = true;
        local = true;
        outcome = await holdIn(cache.localHolds, payer, amount);
        if (outcome.kind === 'held') {
          const refusal = await prepayLocalHold(payer, amount);
          return refusal ? { refusal } : { held: { amount, local, prepaid: amount } };
        }
      }
      if (outcome.kind === 'held') return { held: { amount, local } };
      return {
        refusal:
          outcome.account === CacheKeys.user(payer.userId)
            ? 'insufficient_user_quota'
            : 'token_exhausted',
      };
    },

    /** Shutdown, before the database closes: hold changes that failed are written if they can be. */
    drainHolds(): Promise<void> {
      return cache.holds.drain();
    },

    /** Gives a hold back: the request failed before any answer was billed. */
    async release(payer: Payer, held: HeldQuota): Promise<void> {
      await ledgerOf(held).release(accountsOf(payer), held.amount);
      if (held.prepaid) {
        await prepaid.refund(payer, held.prepaid);
        rereadShared([payer]);
      }
    },

    /**
     * The exact cost replaces the request's hold at once, so the room it leaves (or takes)
     * counts for the next admissions before the bill is written; the written bill ends it.
     */
    replaceHold(payer: Payer, held: HeldQuota, quota: number): HeldQuota {
      const surplus = held.amount - quota;
      if (surplus !== 0) {
        ledgerOf(held)
          .release(accountsOf(payer), surplus)
          .catch((error: Error) =>
            cache.logger.error(`quota: cannot adjust a hold (${error.message})`),
          );
      }
      if (!held.prepaid || held.prepaid === quota) {
        return { amount: quota, local: held.local, prepaid: held.prepaid };
      }
      // The rows learn the exact cost now too, so other nodes count it before the bill.
      const next: HeldQuota = { amount: quota, local: held.local, prepaid: held.prepaid };
      next.adjusting = prepaid.adjust(payer, quota - held.prepaid).then((done) => {
        if (done) next.prepaid = quota;
        rereadShared([payer]);
      });
      return next;
    },

    /**
     * Bills, all or nothing: the key, its owner and the channel are charged and the consume
     * logs written in one transaction, so Σ log quota = used quota holds; then the bills'
     * holds end. Several bills (BATCH_UPDATE_ENABLED, or written while the database was busy)
     * become one update per row. A key this takes to zero is marked exhausted.
     *
     * Bills whose request is logged already (or, billed without a log, recorded in
     * billed_requests) are skipped: a batch retried after its COMMIT's answer was lost is
     * charged once. `mayBeLogged: false` skips that lookup (~1.5 ms per 800 bills on SQLite)
     * for bills no earlier write attempted; the unique request id still refuses a duplicate.
     */
    async recordConsumptions(
      bills: readonly Consumption[],
      options: { mayBeLogged?: boolean } = {},
    ): Promise<void> {
      if (bills.length === 0) return;
      // A prepaid hold still moving to its exact cost: the bill charges what is left after it.
      await Promise.all(bills.map((bill) => bill.held.adjusting));
      const all = sumBills(bills);
      const now = nowSeconds();
      const written = await sequelize.transaction(async (transaction) => {
        const sql = transactionSql(sequelize, transaction);
        const fresh =
          options.mayBeLogged === false ? bills : await unbilled(Log, sql, billedRequests, bills);
        const totals = fresh.length === bills.length ? all : sumBills(fresh);
        // Rows are locked in one order on every node (tokens, users, channels; each by id), so
        // batches from several proxies over the same keys wait for each other, never in a cycle.
        for (const [id, token] of byId(totals.tokens)) {
          await sql.update(statements.chargeToken(id, token.used, token.remainSpent, now));
        }
        for (const [id, user] of byId(totals.users)) {
          await sql.update(statements.chargeUser(id, user.used, user.quotaSpent, user.requests));
        }
        for (const [id, used] of byId(totals.channels)) {
          await sql.update(statements.chargeChannel(id, used));
        }
        const logged = fresh.filter(keepsLog);
        const logs = logged.map((bill) => bill.log);
        for (const insert of logInsertStatements(Log, logs)) await sql.insert(insert);
        if (logged.length < fresh.length) {
          const ids = fresh.filter((bill) => !keepsLog(bill)).map((bill) => bill.log.requestId);
          const stored = storedRequestIds(Log, ids);
          for (const insert of billedRequests.inserts(stored, now)) await sql.insert(insert);
        }
        // Every bill's accounts, charged now or before: the ledger settles all their holds.
        const tokens = (
          await sql.select<TokenAfterRow>(statements.tokensAfter([...all.tokens.keys()]))
        ).map(tokenAfter);
        const users = (
          await sql.select<UserAfterRow>(statements.usersAfter([...all.users.keys()]))
        ).map(userAfter);
        const exhausted = tokens.filter(
          (token) =>
            !token.unlimitedQuota && token.remainQuota <= 0 && token.status === TokenStatus.enabled,
        );
        if (exhausted.length > 0) {
          await Token.update(
            { status: TokenStatus.exhausted },
            { where: { id: exhausted.map((token) => token.id) }, transaction },
          );
        }
        // A key found at zero while prepaid holds were deducted (an earlier batch) has quota
        // again once their surplus came back.
        const prepaidKeys = new Set(bills.filter((b) => b.held.prepaid).map((b) => b.tokenId));
        const revived = tokens.filter(
          (token) =>
            prepaidKeys.has(token.id) &&
            token.remainQuota > 0 &&
            token.status === TokenStatus.exhausted,
        );
        if (revived.length > 0) {
          await Token.update(
            { status: TokenStatus.enabled },
            { where: { id: revived.map((token) => token.id) }, transaction },
          );
        }
        const reminders: NewLog[] = [];
        for (const owner of users) {
          const user = totals.users.get(owner.id);
          const reminder = user && quotaReminder(owner.quota, user.quotaSpent, user.remindBelow);
          if (!reminder) continue;
          reminders.push({
            userId: owner.id,
            username: user.username,
            type: LogType.system,
            createdAt: now,
            content: reminder,
          });
          const notice = quotaNotice({
            userId: owner.id,
            username: user.username,
            remainingQuota: owner.quota,
            threshold: user.remindBelow,
          });
          await enqueueNotification(Notification, notice, transaction);
        }
        for (const insert of logInsertStatements(Log, reminders)) await sql.insert(insert);
        return {
          tokensUsed: new Map(tokens.map((token) => [token.id, token.usedQuota])),
          usersUsed: new Map(users.map((user) => [user.id, user.usedQuota])),
          changedKeys: [...exhausted, ...revived].map((token) => CacheKeys.token(token.keyHash)),
        };
      });
      await settleHolds(bills, written.tokensUsed, written.usersUsed);
      const prepaidBills = bills.filter((bill) => bill.held.prepaid);
      if (prepaidBills.length > 0) rereadShared(prepaidBills);
      // The bills are written: failing now would have them written again (and skipped).
      await invalidate(written.changedKeys).catch((error: Error) =>
        cache.logger.error(`quota: cannot refresh exhausted keys (${error.message})`),
      );
    },

    /** Persists that the key expired (shown and enforced already; this keeps the row honest). */
    async markExpired(payer: Payer): Promise<void> {
      const [changed] = await Token.update(
        { status: TokenStatus.expired },
        { where: { id: payer.tokenId, status: TokenStatus.enabled } },
      );
      if (changed > 0) await invalidate([CacheKeys.token(payer.keyHash)]);
    },

    /**
     * Starts a first_use key's clock at its first accepted request, once: of concurrent first
     * requests (on any node) one sets it and all read the same time back.
     */
    async startFirstUse(payer: Payer): Promise<number> {
      await Token.update(
        { firstUsedTime: nowSeconds() },
        { where: { id: payer.tokenId, firstUsedTime: 0 } },
      );
      const row = await Token.findByPk(payer.tokenId, { attributes: ['firstUsedTime'] });
      await invalidate([CacheKeys.token(payer.keyHash)]);
      return Number(row?.firstUsedTime ?? 0);
    },
  };

  /**
   * Written bills end their holds; the ledgers learn each account's used quota after them.
   * One settlement per account and ledger: a batch's bills mostly share a few accounts. On a
   * Redis node both ledgers learn every bill (a hold of 0 in the one that did not hold it), so
   * neither admits on a balance read before a bill the other settled (an outage's fallback).
   */
  async function settleHolds(
    bills: readonly Consumption[],
    tokensUsed: Map<number, number>,
    usersUsed: Map<number, number>,
  ): Promise<void> {
    const accounts = new Map<string, SettledAccount>();
    const add = (account: string, usedAfter: number, bill: Consumption) => {
      let settled = accounts.get(account);
      if (!settled) {
        settled = { usedAfter, held: new Map() };
        accounts.set(account, settled);
      }
      const ledger = ledgerOf(bill.held);
      settled.held.set(ledger, (settled.held.get(ledger) ?? 0) + bill.held.amount);
    };
    for (const bill of bills) {
      add(CacheKeys.user(bill.userId), usersUsed.get(bill.userId) ?? 0, bill);
      if (!bill.unlimitedQuota) {
        add(CacheKeys.token(bill.keyHash), tokensUsed.get(bill.tokenId) ?? 0, bill);
      }
    }
    for (const ledger of new Set([cache.holds, cache.localHolds])) {
      const settlements: Settlement[] = [...accounts].map(([account, settled]) => ({
        account,
        held: settled.held.get(ledger) ?? 0,
        usedAfter: settled.usedAfter,
      }));
      try {
        await ledger.settle(settlements);
      } catch (error) {
        // Only a number the ledger refuses gets here: the Redis ledger repairs its own failures.
        cache.logger.error(
          `quota: cannot end the holds of ${settlements.length} accounts (${(error as Error).message})`,
        );
      }
    }
  }
}

/** A batch's bills on one account: its used quota after them, and what they held per ledger. */
interface SettledAccount {
  usedAfter: number;
  held: Map<HoldLedger, number>;
}

interface BillTotals {
  tokens: Map<number, { used: number; remainSpent: number }>;
  users: Map<
    number,
    { used: number; quotaSpent: number; requests: number; username: string; remindBelow: number }
  >;
  channels: Map<number, number>;
}

/** A map's entries in ascending id order. */
function byId<T>(rows: Map<number, T>): [number, T][] {
  return [...rows].sort(([a], [b]) => a - b);
}

/** Per row, what a set of bills changes. */
function sumBills(bills: readonly Consumption[]): BillTotals {
  const totals: BillTotals = { tokens: new Map(), users: new Map(), channels: new Map() };
  for (const bill of bills) {
    // What the balances lose now: a prepaid hold was taken from them at admission already.
    const balanceSpent = bill.quota - (bill.held.prepaid ?? 0);
    const token = totals.tokens.get(bill.tokenId) ?? { used: 0, remainSpent: 0 };
    token.used += bill.quota;
    // Unlimited keys keep their remaining quota; their owner still pays.
    if (!bill.unlimitedQuota) token.remainSpent += balanceSpent;
    totals.tokens.set(bill.tokenId, token);
    const user = totals.users.get(bill.userId) ?? {
      used: 0,
      quotaSpent: 0,
      requests: 0,
      username: bill.log.username ?? '',
      remindBelow: bill.remindBelow,
    };
    user.used += bill.quota;
    user.quotaSpent += balanceSpent;
    user.requests += 1;
    totals.users.set(bill.userId, user);
    if (bill.channelId > 0 && bill.quota !== 0) {
      totals.channels.set(bill.channelId, (totals.channels.get(bill.channelId) ?? 0) + bill.quota);
    }
  }
  return totals;
}

/**
 * The bills not written yet: a retried batch may have been. A bill that keeps its log is found
 * by it; one billed without a log, in billed_requests.
 */
async function unbilled(
  Log: Models['Log'],
  sql: TransactionSql,
  billedRequests: ReturnType<typeof billedRequestStatements>,
  bills: readonly Consumption[],
): Promise<readonly Consumption[]> {
  const stored = storedRequestIds(
    Log,
    bills.map((bill) => bill.log.requestId),
  );
  const withLog = stored.filter((_, i) => keepsLog(bills[i]!));
  const withoutLog = stored.filter((_, i) => !keepsLog(bills[i]!));
  const statements = [
    ...loggedRequestsLookup(Log, withLog).statements,
    ...billedRequests.lookups(withoutLog),
  ];
  const written = new Set<string>();
  for (const statement of statements) {
    for (const row of await sql.select<{ request_id: string }>(statement)) {
      written.add(row.request_id);
    }
  }
  if (written.size === 0) return bills;
  return bills.filter((_, i) => !written.has(stored[i]!));
}

/** The reminder for an owner whose quota this request took past the threshold or to zero. */
export function quotaReminder(after: number, spent: number, threshold: number): string | undefined {
  const before = after + spent;
  if (before > 0 && after <= 0)
    return 'Your quota is used up: requests will be refused until it is topped up.';
  if (before > threshold && after <= threshold) {
    return `Your remaining quota (${after}) has fallen below the reminder threshold of ${threshold}.`;
  }
  return undefined;
}

export type UsageRepository = ReturnType<typeof usageRepository>;
