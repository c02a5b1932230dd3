import type { Redis } from 'ioredis';
import type { AccountBase, HoldLedger, HoldOutcome, Settlement } from './hold-ledger.js';

/**
 * Holds shared by every proxy node through Redis (DESIGN §8), with the same arithmetic as
 * MemoryHoldLedger; each step is one Lua script, so it is atomic across nodes. An account is a
 * hash: version, remain, used, latest, outstanding. Idle accounts expire, which also heals a
 * hold whose release was lost with a crashed node.
 */
export class RedisHoldLedger implements HoldLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { lua });
    }
  }

  private get commands(): LedgerCommands {
    return this.redis as unknown as LedgerCommands;
  }

  async hold(accounts: readonly string[], amount: number): Promise<HoldOutcome> {
    const [kind, index, version] = await this.commands.chatApiHoldQuota(
      accounts.length,
      ...this.keys(accounts),
      amount,
      IDLE_EXPIRY_MS,
    );
    if (kind === 'held') return { kind };
    const account = accounts[Number(index) - 1]!;
    return kind === 'refused'
      ? { kind, account }
      : { kind: 'read', account, version: Number(version) };
  }

  async setBase(account: string, version: number, base: AccountBase): Promise<void> {
    await this.commands.chatApiSetBase(
      1,
      this.key(account),
      version,
      base.remain,
      base.used,
      IDLE_EXPIRY_MS,
    );
  }

  async release(accounts: readonly string[], amount: number): Promise<void> {
    if (accounts.length === 0) return;
    await this.commands.chatApiRelease(
      accounts.length,
      ...this.keys(accounts),
      amount,
      IDLE_EXPIRY_MS,
    );
  }

  async settle(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    await this.commands.chatApiSettle(
      settlements.length,
      ...settlements.map((settlement) => this.key(settlement.account)),
      IDLE_EXPIRY_MS,
      ...settlements.flatMap((settlement) => [settlement.held, settlement.usedAfter]),
    );
  }

  async forget(accounts: readonly string[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.commands.chatApiForget(accounts.length, ...this.keys(accounts), IDLE_EXPIRY_MS);
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
}

// Quotas are integers well inside a double's exact range; numbers go back to Redis as strings
// through string.format('%d') so large values never turn into exponent notation.
const SCRIPTS: Record<keyof LedgerCommands, string> = {
  // ARGV: amount, expiry ms → {'held'} | {'refused', i} | {'read', i, version}
  chatApiHoldQuota: `
    for i, key in ipairs(KEYS) do
      local f = redis.call('HMGET', key, 'remain', 'used', 'latest', 'outstanding', 'version')
      if not f[1] then return {'read', i, tonumber(f[5] or '0')} end
      local available = tonumber(f[1]) - (tonumber(f[3] or '0') - tonumber(f[2]))
        - tonumber(f[4] or '0')
      if available <= 0 then return {'refused', i} end
    end
    for _, key in ipairs(KEYS) do
      redis.call('HINCRBY', key, 'outstanding', string.format('%d', tonumber(ARGV[1])))
      redis.call('PEXPIRE', key, ARGV[2])
    end
    return {'held'}`,
  // ARGV: version, remain, used, expiry ms
  chatApiSetBase: `
    local key = KEYS[1]
    if tonumber(redis.call('HGET', key, 'version') or '0') ~= tonumber(ARGV[1]) then return 0 end
    local used = tonumber(ARGV[3])
    local latest = tonumber(redis.call('HGET', key, 'latest') or '0')
    redis.call('HSET', key, 'remain', ARGV[2], 'used', ARGV[3],
      'latest', string.format('%d', math.max(latest, used)))
    redis.call('PEXPIRE', key, ARGV[4])
    return 1`,
  // ARGV: amount, expiry ms
  chatApiRelease: `
    for _, key in ipairs(KEYS) do
      redis.call('HINCRBY', key, 'outstanding', string.format('%d', -tonumber(ARGV[1])))
      redis.call('PEXPIRE', key, ARGV[2])
    end
    return 1`,
  // ARGV: expiry ms, then per key: held, usedAfter
  chatApiSettle: `
    for i, key in ipairs(KEYS) do
      local usedAfter = tonumber(ARGV[2 * i + 1])
      redis.call('HINCRBY', key, 'outstanding', string.format('%d', -tonumber(ARGV[2 * i])))
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
};
