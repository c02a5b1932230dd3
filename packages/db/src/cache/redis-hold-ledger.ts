import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  checkBase,
  checkChange,
  checkQuota,
  checkSettlement,
  type AccountBase,
  type HoldLedger,
  type HoldOutcome,
  type Settlement,
} from './hold-ledger.js';

export interface RedisHoldLedgerOptions {
  /** This node's name in the accounts' hashes; random unless a test names it. */
  nodeId?: string;
  /** How long a node's holds outlive its last sign of life (a SIGKILL, a lost machine). */
  leaseMs?: number;
  /** How often an uncertain write is set right, once nothing else is in flight on it. */
  repairEveryMs?: number;
  /**
   * What this node holds on an account outside Redis: the holds it kept in its own memory
   * while Redis was away, whose bills may not be written yet.
   */
  heldElsewhere?: (account: string) => number;
}

/**
 * Holds shared by every proxy node through Redis (DESIGN §8), with the same arithmetic as
 * MemoryHoldLedger; each step is one Lua script, so it is atomic across nodes. An account is a
 * hash: version, epoch, remain, used, latest, and one `n:<node>` field per node with what that
 * node holds on it.
 *
 * Why per node: a node's holds must not outlive the node. Each node keeps a lease key that it
 * renews; a hold counts the fields of live nodes only and deletes the others, so a killed
 * node's holds come back within `leaseMs`. And a node knows exactly what it holds (`own`):
 * when a write's outcome is unknown (a timeout after Redis ran it, a connection cut mid-call),
 * the account is repaired by writing that exact value once nothing else is in flight on it.
 * Until then Redis may count more than the node holds — refusing a little early, never
 * admitting past the quota. Every hold also sends what the node holds on its accounts, and
 * Redis never counts less: a Redis that restarted empty has a busy account's holds back at
 * the next request.
 *
 * After Redis was unreachable (or restarted empty), `epoch` moves on, so every node reads
 * every balance again: bills written meanwhile were settled in the nodes' own memory.
 */
export class RedisHoldLedger implements HoldLedger {
  private readonly node: string;
  private readonly leaseMs: number;
  private readonly heldElsewhere: (account: string) => number;
  /** What this node holds per account, exactly. */
  private readonly own = new Map<string, number>();
  /** Calls of this node in flight per account: a repair waits for none. */
  private readonly inFlight = new Map<string, number>();
  /** Accounts whose `n:<node>` field may be off (an uncertain write). */
  private readonly uncertain = new Set<string>();
  /** Accounts a failed settle or forget left with a stale balance: read them again. */
  private readonly stale = new Set<string>();
  private newEpoch = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private repairing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RedisHoldLedgerOptions = {},
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { lua });
    }
    this.node = options.nodeId ?? randomBytes(8).toString('hex');
    this.leaseMs = options.leaseMs ?? 15_000;
    this.heldElsewhere = options.heldElsewhere ?? (() => 0);
    const renew = setInterval(() => void this.renewLease(), Math.max(50, this.leaseMs / 3));
    const repair = setInterval(() => void this.repair(), options.repairEveryMs ?? 200);
    for (const timer of [renew, repair]) timer.unref();
    this.timers.push(renew, repair);
    // Back after an outage (or a restart that lost everything): what this node holds is written
    // again, and every balance is read again.
    redis.on('ready', () => {
      this.newEpoch = true;
      for (const account of this.own.keys()) this.uncertain.add(account);
    });
    void this.renewLease();
  }

  private get commands(): LedgerCommands {
    return this.redis as unknown as LedgerCommands;
  }

  async hold(accounts: readonly string[], amount: number): Promise<HoldOutcome> {
    checkQuota('hold', amount);
    // Back from an outage: the new epoch first, so no hold counts on a balance from before it.
    if (this.newEpoch) await this.repair();
    const [kind, index, version] = await this.tracked(accounts, () =>
      this.commands.chatApiHoldQuota(
        accounts.length,
        ...this.keys(accounts),
        amount,
        IDLE_EXPIRY_MS,
        this.field,
        this.leaseKeyPrefix,
        this.leaseKey,
        this.leaseMs,
        this.epochKey,
        ...accounts.flatMap((account) => [this.heldHere(account), this.heldElsewhere(account)]),
      ),
    );
    if (kind === 'held') {
      for (const account of accounts) this.add(account, amount);
      return { kind };
    }
    const account = accounts[Number(index) - 1]!;
    return kind === 'refused'
      ? { kind, account }
      : { kind: 'read', account, version: Number(version) };
  }

  async setBase(account: string, version: number, base: AccountBase): Promise<void> {
    checkBase(base);
    await this.commands.chatApiSetBase(
      1,
      this.key(account),
      version,
      base.remain,
      base.used,
      IDLE_EXPIRY_MS,
      this.epochKey,
    );
  }

  /** Never fails: a write that does not go through is repaired later from `own`. */
  async release(accounts: readonly string[], amount: number): Promise<void> {
    checkChange(amount);
    if (accounts.length === 0 || amount === 0) return;
    for (const account of accounts) this.add(account, -amount);
    await this.tracked(accounts, () =>
      this.commands.chatApiRelease(
        accounts.length,
        ...this.keys(accounts),
        amount,
        IDLE_EXPIRY_MS,
        this.field,
      ),
    ).catch(() => undefined);
  }

  /** Never fails: see release; a balance whose bill it could not record is read again. */
  async settle(settlements: readonly Settlement[]): Promise<void> {
    for (const settlement of settlements) checkSettlement(settlement);
    if (settlements.length === 0) return;
    const accounts = settlements.map((settlement) => settlement.account);
    for (const { account, held } of settlements) this.add(account, -held);
    await this.tracked(accounts, () =>
      this.commands.chatApiSettle(
        settlements.length,
        ...this.keys(accounts),
        IDLE_EXPIRY_MS,
        this.field,
        ...settlements.flatMap((settlement) => [settlement.held, settlement.usedAfter]),
      ),
    ).catch(() => {
      for (const account of accounts) this.stale.add(account);
    });
  }

  async forget(accounts: readonly string[]): Promise<void> {
    if (accounts.length === 0) return;
    try {
      await this.commands.chatApiForget(accounts.length, ...this.keys(accounts), IDLE_EXPIRY_MS);
    } catch (error) {
      for (const account of accounts) this.stale.add(account);
      throw error;
    }
  }

  /** What this node holds on the account (its bills may still be on their way). */
  heldHere(account: string): number {
    return this.own.get(account) ?? 0;
  }

  /** Stops renewing; what this node still holds lapses with its lease (or is released here). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.repairing;
    await this.repair();
    if (this.own.size === 0) await this.redis.del(this.leaseKey).catch(() => undefined);
  }

  /** The repair, awaited: what this node holds is in Redis again if Redis answers. */
  drain(): Promise<void> {
    return this.repair();
  }

  /**
   * Sets right what uncertain writes may have left: this node's exact holds on accounts with
   * nothing in flight, balances read again where a bill or a change was missed, and a new epoch
   * after an outage. Runs on a timer; one at a time.
   */
  repair(): Promise<void> {
    this.repairing ??= this.repairNow().finally(() => (this.repairing = undefined));
    return this.repairing;
  }

  private async repairNow(): Promise<void> {
    try {
      if (this.newEpoch) {
        await this.redis.incr(this.epochKey);
        this.newEpoch = false;
      }
      const settled = [...this.uncertain].filter((account) => !this.inFlight.has(account));
      if (settled.length > 0) {
        await this.commands.chatApiReassert(
          settled.length,
          ...this.keys(settled),
          IDLE_EXPIRY_MS,
          this.field,
          ...settled.map((account) => this.own.get(account) ?? 0),
        );
        for (const account of settled) this.uncertain.delete(account);
      }
      if (this.stale.size > 0) {
        const accounts = [...this.stale];
        await this.commands.chatApiForget(accounts.length, ...this.keys(accounts), IDLE_EXPIRY_MS);
        for (const account of accounts) this.stale.delete(account);
      }
    } catch {
      // Redis is still away: the next round tries again.
    }
  }

  private async renewLease(): Promise<void> {
    try {
      const existed = await this.redis.set(this.leaseKey, '1', 'PX', this.leaseMs, 'GET');
      // The lease lapsed (a long outage, a restart): other nodes dropped this node's holds.
      if (existed === null) for (const account of this.own.keys()) this.uncertain.add(account);
    } catch {
      // Redis is away; the lease is renewed when it is back.
    }
  }

  /** Runs a call counted in flight on its accounts; an error leaves them uncertain. */
  private async tracked<T>(accounts: readonly string[], call: () => Promise<T>): Promise<T> {
    for (const account of accounts)
      this.inFlight.set(account, (this.inFlight.get(account) ?? 0) + 1);
    try {
      return await call();
    } catch (error) {
      for (const account of accounts) this.uncertain.add(account);
      throw error;
    } finally {
      for (const account of accounts) {
        const left = this.inFlight.get(account)! - 1;
        if (left === 0) this.inFlight.delete(account);
        else this.inFlight.set(account, left);
      }
    }
  }

  private add(account: string, amount: number): void {
    const next = (this.own.get(account) ?? 0) + amount;
    if (next === 0) this.own.delete(account);
    else this.own.set(account, next);
  }

  private get field(): string {
    return `n:${this.node}`;
  }

  private get leaseKeyPrefix(): string {
    return `${this.prefix}hold-node:`;
  }

  private get leaseKey(): string {
    return this.leaseKeyPrefix + this.node;
  }

  private get epochKey(): string {
    return `${this.prefix}hold-epoch`;
  }

  private key(account: string): string {
    return `${this.prefix}hold:${account}`;
  }

  private keys(accounts: readonly string[]): string[] {
    return accounts.map((account) => this.key(account));
  }
}

/** An account nobody held or billed for an hour is read again from the database. */
const IDLE_EXPIRY_MS = 3_600_000;

type Arg = string | number;
interface LedgerCommands {
  chatApiHoldQuota(keyCount: number, ...args: Arg[]): Promise<[string, number?, number?]>;
  chatApiSetBase(keyCount: number, ...args: Arg[]): Promise<number>;
  chatApiRelease(keyCount: number, ...args: Arg[]): Promise<number>;
  chatApiSettle(keyCount: number, ...args: Arg[]): Promise<number>;
  chatApiForget(keyCount: number, ...args: Arg[]): Promise<number>;
  chatApiReassert(keyCount: number, ...args: Arg[]): Promise<number>;
}

// Quotas are whole numbers well inside a double's exact range (checked before every call);
// they go back to Redis through string.format('%d') so large values never turn into exponent
// notation. The lease keys are read by name inside the hold script: a single Redis (or one
// shard holding the prefix), as the rest of the cache assumes.
/** Lua: what a node holds on an account, stored while above zero and removed at zero. */
const SET_HELD = `
    local function setHeld(key, field, amount)
      if amount > 0 then
        redis.call('HSET', key, field, string.format('%d', amount))
      else
        redis.call('HDEL', key, field)
      end
    end`;

const SCRIPTS: Record<keyof LedgerCommands, string> = {
  // ARGV: amount, expiry ms, own field, lease key prefix, own lease key, lease ms, epoch key,
  // then per key what this node knows it holds there (restored if Redis lost it) and what it
  // holds on it outside Redis (counted, not stored) → {'held'} | {'refused', i} | {'read', i, version}
  chatApiHoldQuota: `
    local amount = tonumber(ARGV[1])
    local epoch = redis.call('GET', ARGV[7]) or '0'
    for i, key in ipairs(KEYS) do
      local own = tonumber(ARGV[6 + 2 * i])
      if own > tonumber(redis.call('HGET', key, ARGV[3]) or '0') then
        redis.call('HSET', key, ARGV[3], string.format('%d', own))
      end
      local f = redis.call('HMGET', key, 'remain', 'used', 'latest', 'version', 'epoch')
      if not f[1] or f[5] ~= epoch then return {'read', i, tonumber(f[4] or '0')} end
      local outstanding = tonumber(ARGV[7 + 2 * i])
      local fields = redis.call('HGETALL', key)
      for j = 1, #fields, 2 do
        local name = fields[j]
        if string.sub(name, 1, 2) == 'n:' then
          if name == ARGV[3] or redis.call('EXISTS', ARGV[4] .. string.sub(name, 3)) == 1 then
            outstanding = outstanding + tonumber(fields[j + 1])
          else
            redis.call('HDEL', key, name)
          end
        end
      end
      local available = tonumber(f[1]) - (tonumber(f[3] or '0') - tonumber(f[2])) - outstanding
      if not (available >= amount or (available > 0 and outstanding <= 0)) then
        return {'refused', i}
      end
    end
    for _, key in ipairs(KEYS) do
      redis.call('HINCRBY', key, ARGV[3], string.format('%d', amount))
      redis.call('PEXPIRE', key, ARGV[2])
    end
    redis.call('SET', ARGV[5], '1', 'PX', ARGV[6])
    return {'held'}`,
  // ARGV: version, remain, used, expiry ms, epoch key
  chatApiSetBase: `
    local key = KEYS[1]
    if tonumber(redis.call('HGET', key, 'version') or '0') ~= tonumber(ARGV[1]) then return 0 end
    local used = tonumber(ARGV[3])
    local latest = tonumber(redis.call('HGET', key, 'latest') or '0')
    redis.call('HSET', key, 'remain', ARGV[2], 'used', ARGV[3],
      'latest', string.format('%d', math.max(latest, used)),
      'epoch', redis.call('GET', ARGV[5]) or '0')
    redis.call('PEXPIRE', key, ARGV[4])
    return 1`,
  // ARGV: amount, expiry ms, own field
  chatApiRelease: `${SET_HELD}
    for _, key in ipairs(KEYS) do
      setHeld(key, ARGV[3], tonumber(redis.call('HGET', key, ARGV[3]) or '0') - tonumber(ARGV[1]))
      redis.call('PEXPIRE', key, ARGV[2])
    end
    return 1`,
  // ARGV: expiry ms, own field, then per key: held, usedAfter
  chatApiSettle: `${SET_HELD}
    for i, key in ipairs(KEYS) do
      setHeld(key, ARGV[2], tonumber(redis.call('HGET', key, ARGV[2]) or '0') - tonumber(ARGV[2 * i + 1]))
      local usedAfter = tonumber(ARGV[2 * i + 2])
      local latest = tonumber(redis.call('HGET', key, 'latest') or '0')
      if usedAfter > latest then
        redis.call('HSET', key, 'latest', string.format('%d', usedAfter))
      end
      redis.call('PEXPIRE', key, ARGV[1])
    end
    return 1`,
  // ARGV: expiry ms
  chatApiForget: `
    for _, key in ipairs(KEYS) do
      redis.call('HDEL', key, 'remain', 'used')
      redis.call('HSET', key, 'latest', '0')
      redis.call('HINCRBY', key, 'version', 1)
      redis.call('PEXPIRE', key, ARGV[1])
    end
    return 1`,
  // ARGV: expiry ms, own field, then per key: what this node holds there
  chatApiReassert: `${SET_HELD}
    for i, key in ipairs(KEYS) do
      setHeld(key, ARGV[2], tonumber(ARGV[i + 2]))
      redis.call('PEXPIRE', key, ARGV[1])
    end
    return 1`,
};
