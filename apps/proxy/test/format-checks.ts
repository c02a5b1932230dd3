import { expect } from 'vitest';
import type { Gateway } from './harness.js';

/** The shipped price of a model for the default group, as the bill applies it. */
export async function listedPrice(gateway: Gateway, model: string) {
  const prices = await gateway.db.repos.options.effective();
  return {
    modelRatio: (JSON.parse(prices.ModelRatio) as Record<string, number>)[model]!,
    completionRatio: (JSON.parse(prices.CompletionRatio) as Record<string, number>)[model]!,
    groupRatio: 1,
  };
}

/**
 * Stops the gateway, so that every bill is written, and checks the ledger: the key's and its
 * user's used quota equal the sum of their consume logs, of which there are more than `atLeast`.
 */
export async function expectLedgerKept(
  gateway: Gateway,
  { userId, tokenId }: { userId: number; tokenId: number },
  atLeast: number,
) {
  await gateway.app.close();
  const logs = await gateway.db.repos.logs.stats({ userId, type: 2 });
  const token = await gateway.db.repos.tokens.get(tokenId);
  const user = await gateway.db.repos.users.findById(userId);
  expect(logs.requests).toBeGreaterThan(atLeast);
  expect(token?.usedQuota).toBe(logs.quota);
  expect(user?.usedQuota).toBe(logs.quota);
}
