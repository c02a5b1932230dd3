import { quotaFor, type Price } from '@chat-api/billing';
import type { Database, HeldQuota } from '@chat-api/db';
import type { ClientRequest } from '@chat-api/providers';
import { RelayError } from '../auth/relay-error.js';
import { quotaOfCharge, unitsOf } from './bill.js';
import type { Caller } from './caller.js';
import type { Endpoint } from './endpoints.js';
import { RecentCosts } from './recent-costs.js';
import type { RelaySettings } from './settings.js';

/** What a request holds until it is billed, and whether that bounds its cost. */
export interface HoldEstimate {
  amount: number;
  /** False when the cost is open-ended (no completion limit): the bill then teaches recentCosts. */
  bounded: boolean;
}

/** Per key and model, what requests without a completion limit cost lately. */
export const recentCosts = new RecentCosts();

/**
 * What a request holds until it is billed (DESIGN §6). Images and speech: their exact price.
 * Tokens: the prompt (estimated from the body's size, ~4 bytes a token) plus `max_tokens` of
 * completion per choice at the model's price; without a limit, at least PreConsumedQuota and
 * what the key's last such request for the model cost. Every number here was checked at the
 * boundary (client-numbers.ts), so the amount is a whole, finite quota.
 */
export function holdEstimate(options: {
  endpoint: Endpoint;
  client: ClientRequest;
  price: Price;
  settings: RelaySettings;
  tokenId: number;
}): HoldEstimate {
  const { endpoint, client, price, settings } = options;
  const quotaPerUnit = settings.prices.quotaPerUnit;
  if (endpoint.billing === 'images' || endpoint.billing === 'characters') {
    const units = unitsOf(endpoint, client, undefined);
    const usage = { promptTokens: 0, completionTokens: 0 };
    return {
      amount: quotaOfCharge({ endpoint, price, quotaPerUnit, usage, units }),
      bounded: true,
    };
  }
  const json = client.json;
  const limit = json?.max_completion_tokens ?? json?.max_tokens ?? json?.max_output_tokens;
  const choices = typeof json?.n === 'number' ? json.n : 1;
  const promptTokens = Math.ceil(client.raw.length / 4);
  if (typeof limit === 'number' && limit > 0) {
    const usage = { promptTokens, completionTokens: limit * choices };
    return { amount: quotaFor(usage, price, quotaPerUnit), bounded: true };
  }
  const promptCost = quotaFor({ promptTokens, completionTokens: 0 }, price, quotaPerUnit);
  const recent = recentCosts.get(options.tokenId, client.model) ?? 0;
  return { amount: Math.max(promptCost, settings.preConsumedQuota, recent), bounded: false };
}

/** Admits the request by holding its estimate against the key's and the owner's quota. */
export async function admit(db: Database, caller: Caller, amount: number): Promise<HeldQuota> {
  const outcome = await db.repos.usage.hold(caller.payer, amount);
  if ('refusal' in outcome) throw new RelayError(outcome.refusal);
  return outcome.held;
}

/**
 * Starts a first_use key's clock at its first admitted request. Runs after the hold, inside
 * the relay's try/finally, so a database error here gives the hold back.
 */
export async function startClock(db: Database, caller: Caller): Promise<void> {
  if (caller.token.expiryMode === 'first_use' && caller.token.firstUsedTime === 0) {
    await db.repos.usage.startFirstUse(caller.payer);
  }
}
