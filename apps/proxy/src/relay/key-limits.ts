import type { RequestLimiter, Slot } from '@chat-api/db';
import { RelayError } from '../auth/relay-error.js';
import type { Caller } from './caller.js';

/** Concurrent requests end at any moment: a client refused for that tries again shortly. */
const CONCURRENCY_RETRY_SECONDS = 1;

/** A key's limit, else its owner's default for keys without one (0 = none). */
function limitOf(caller: Caller, field: 'rpmLimit' | 'tpmLimit' | 'concurrencyLimit'): number {
  return caller.token[field] || caller.owner[field];
}

/** Whether the caller's key has any limit, its own or its owner's default. */
export function hasKeyLimits(caller: Caller): boolean {
  return (
    limitOf(caller, 'rpmLimit') > 0 ||
    limitOf(caller, 'tpmLimit') > 0 ||
    limitOf(caller, 'concurrencyLimit') > 0
  );
}

/**
 * Admits the request under its key's per-minute and in-flight limits (DESIGN §5b), or refuses it
 * with 429 and the seconds to wait. Keys without limits cost nothing here. The slot, when the
 * key has a concurrency limit, is the caller's to release when the request ends.
 */
export async function enforceKeyLimits(
  limiter: RequestLimiter,
  caller: Caller,
): Promise<Slot | undefined> {
  const rpm = limitOf(caller, 'rpmLimit');
  const tpm = limitOf(caller, 'tpmLimit');
  const concurrency = limitOf(caller, 'concurrencyLimit');
  const key = String(caller.token.id);
  if (rpm > 0 || tpm > 0) {
    const refused = await limiter.admitRequest(key, { rpm, tpm });
    if (refused) {
      const limit =
        refused.exceeded === 'rpm' ? `${rpm} requests per minute` : `${tpm} tokens per minute`;
      throw refusal(limit, refused.retryAfterSeconds);
    }
  }
  if (concurrency === 0) return undefined;
  const slot = await limiter.acquireSlot(key, concurrency);
  if (!slot) {
    throw refusal(`${concurrency} requests at once`, CONCURRENCY_RETRY_SECONDS);
  }
  return slot;
}

/** Counts a billed request's tokens against its key's minute, when the key limits them. */
export function countKeyTokens(
  limiter: RequestLimiter,
  caller: Caller,
  tokens: number,
  onError: (error: Error) => void,
): void {
  if (limitOf(caller, 'tpmLimit') === 0) return;
  limiter.addTokens(String(caller.token.id), tokens).catch(onError);
}

function refusal(limit: string, retryAfter: number): RelayError {
  return new RelayError('rate_limit_exceeded', { limit, retryAfter }).retryAfter(retryAfter);
}
