import { quotaFor, type Price } from '@chat-api/billing';
import type { Database, HeldQuota } from '@chat-api/db';
import type { ClientRequest } from '@chat-api/providers';
import { RelayError } from '../auth/relay-error.js';
import type { Caller } from './caller.js';
import type { RelaySettings } from './settings.js';

/**
 * What a request holds until it is billed (DESIGN §6): its prompt (estimated from the body's
 * size, ~4 bytes a token) plus `max_tokens` of completion at the model's price, or at least
 * PreConsumedQuota when the client set no limit.
 */
export function holdEstimate(client: ClientRequest, price: Price, settings: RelaySettings): number {
  const json = client.json;
  const limit = json?.max_completion_tokens ?? json?.max_tokens;
  const promptTokens = Math.ceil(client.raw.length / 4);
  if (typeof limit === 'number' && limit > 0) {
    return quotaFor({ promptTokens, completionTokens: limit }, price, settings.prices.quotaPerUnit);
  }
  const promptCost = quotaFor(
    { promptTokens, completionTokens: 0 },
    price,
    settings.prices.quotaPerUnit,
  );
  return Math.max(promptCost, settings.preConsumedQuota);
}

/**
 * Admits the request by holding its estimate against the key's and the owner's quota, and
 * starts a first_use key's clock at its first admitted request.
 */
export async function admit(db: Database, caller: Caller, amount: number): Promise<HeldQuota> {
  const { payer } = caller;
  const outcome = await db.repos.usage.hold(payer, amount);
  if ('refusal' in outcome) throw new RelayError(outcome.refusal);
  if (caller.token.expiryMode === 'first_use' && caller.token.firstUsedTime === 0) {
    await db.repos.usage.startFirstUse(payer);
  }
  return outcome.held;
}
