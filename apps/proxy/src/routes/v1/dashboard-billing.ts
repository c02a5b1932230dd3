import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '@chat-api/db';
import { RelayError } from '../../auth/relay-error.js';
import { assertAllowed, identifyCaller } from '../../relay/caller.js';

/** What a key may spend in all (used + still spendable) and has spent, in quota units. */
interface KeyBalance {
  limit: number;
  used: number;
  /** Unix seconds; 0 when the key never expires. */
  accessUntil: number;
}

/**
 * A key's balance from the database, not the relay's cache: chat front-ends show it to the
 * person who just spent. An unlimited key is bounded by its owner's quota, so both count.
 */
async function keyBalance(db: Database, tokenId: number): Promise<KeyBalance> {
  const token = await db.repos.tokens.get(tokenId);
  const owner = token && (await db.repos.users.findById(token.userId));
  if (!token || !owner) throw new RelayError('invalid_api_key');
  const spendable = Math.max(
    0,
    token.unlimitedQuota ? owner.quota : Math.min(token.remainQuota, owner.quota),
  );
  return {
    limit: token.usedQuota + spendable,
    used: token.usedQuota,
    accessUntil: Math.max(0, token.expiredTime),
  };
}

/** Quota as the front-end shows it: USD when DisplayInCurrencyEnabled (One API's rule). */
async function displayUnit(db: Database): Promise<(quota: number) => number> {
  const options = await db.repos.options.effective();
  const perUnit = Number(options.QuotaPerUnit);
  if (options.DisplayInCurrencyEnabled !== 'true' || !(perUnit > 0)) return (quota) => quota;
  return (quota) => quota / perUnit;
}

/**
 * The balance endpoints chat front-ends (NextChat, LobeChat, …) read for the key they were
 * given, in One API's shapes: OpenAI's retired billing API, with and without /v1.
 */
export async function dashboardBillingRoutes(
  app: FastifyInstance,
  options: { db: Database },
): Promise<void> {
  const { db } = options;

  const subscription = async (request: FastifyRequest) => {
    const caller = await identifyCaller(db, request);
    assertAllowed(caller, request, undefined);
    const [balance, shown] = await Promise.all([keyBalance(db, caller.token.id), displayUnit(db)]);
    const limit = shown(balance.limit);
    return {
      object: 'billing_subscription',
      has_payment_method: true,
      soft_limit_usd: limit,
      hard_limit_usd: limit,
      system_hard_limit_usd: limit,
      access_until: balance.accessUntil,
    };
  };

  const usage = async (request: FastifyRequest) => {
    const caller = await identifyCaller(db, request);
    assertAllowed(caller, request, undefined);
    const [balance, shown] = await Promise.all([keyBalance(db, caller.token.id), displayUnit(db)]);
    // OpenAI reported usage in hundredths of a dollar.
    return { object: 'list', total_usage: shown(balance.used) * 100 };
  };

  for (const prefix of ['', '/v1']) {
    app.get(`${prefix}/dashboard/billing/subscription`, subscription);
    app.get(`${prefix}/dashboard/billing/usage`, usage);
  }
}
