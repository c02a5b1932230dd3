/**
 * When an API key stops working by itself (DESIGN §4): its fixed expiry passed, its first-use
 * lifetime ran out, or a limited key has no quota left. The console shows the result as the
 * token's status; the proxy refuses requests by the same rule.
 */

/** The stored settings that decide it. Times are unix seconds. */
export interface TokenLimits {
  status: number;
  expiryMode: 'fixed' | 'first_use';
  /** fixed mode: the first second the key no longer works; -1 = never. */
  expiredTime: number;
  /** first_use mode: lifetime counted from firstUsedTime. */
  durationSeconds: number;
  /** 0 until the first accepted request. */
  firstUsedTime: number;
  remainQuota: number;
  unlimitedQuota: boolean;
}

export type TokenProblem = 'expired' | 'exhausted';

/** One API's token status numbers (DESIGN §7), as @chat-api/db's TokenStatus stores them. */
const Status = { enabled: 1, expired: 3, exhausted: 4 } as const;

/** When the key expires, or null while it has no end (never, or a first_use clock not started). */
export function tokenExpiresAt(token: TokenLimits): number | null {
  if (token.expiryMode === 'first_use') {
    return token.firstUsedTime > 0 ? token.firstUsedTime + token.durationSeconds : null;
  }
  return token.expiredTime === -1 ? null : token.expiredTime;
}

/** Why the key cannot be used at `now`, whatever its stored status; expiry is reported first. */
export function tokenProblem(token: TokenLimits, now: number): TokenProblem | null {
  const expiresAt = tokenExpiresAt(token);
  if (expiresAt !== null && now >= expiresAt) return 'expired';
  if (!token.unlimitedQuota && token.remainQuota <= 0) return 'exhausted';
  return null;
}

/**
 * The status to show and enforce: an enabled key that expired or ran out reads as expired (3)
 * or exhausted (4). Any other stored status (disabled by hand, or marked by the proxy) stands
 * until the owner enables the key again.
 */
export function effectiveTokenStatus(token: TokenLimits, now: number): number {
  if (token.status !== Status.enabled) return token.status;
  const problem = tokenProblem(token, now);
  if (problem === 'expired') return Status.expired;
  if (problem === 'exhausted') return Status.exhausted;
  return token.status;
}
