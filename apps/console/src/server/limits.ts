import { TRPCError } from '@trpc/server';
import type { Database } from '@chat-api/db';

/** Requests allowed per client IP (DESIGN §3), and sign-in attempts per IP and per username. */
export interface ConsoleLimits {
  apiPer3Minutes: number;
  webPer3Minutes: number;
  authAttemptsPerMinute: number;
}

export const DEFAULT_LIMITS: ConsoleLimits = {
  apiPer3Minutes: 180,
  webPer3Minutes: 60,
  authAttemptsPerMinute: 10,
};

const THREE_MINUTES = 180;

export async function checkApiLimit(
  db: Database,
  ip: string,
  limits: ConsoleLimits,
): Promise<void> {
  const result = await db.cache.rateLimiter.hit(
    `console-api:${ip}`,
    limits.apiPer3Minutes,
    THREE_MINUTES,
  );
  if (!result.allowed) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many requests; try again in ${result.retryAfterSeconds} s.`,
    });
  }
}

/**
 * Login and registration, counted before the password is checked (so that a burst of parallel
 * guesses is stopped too), in three buckets per minute:
 * - per address: one address guessing many accounts (password spraying);
 * - per account from each address: the attacker's address runs out, the owner's does not, so
 *   guessing from one address never locks the owner out of the account elsewhere;
 * - per account from everywhere, ten times higher: it caps how fast many addresses together can
 *   guess one password, and only such a crowd can reach it.
 */
export async function checkAuthAttemptLimit(
  db: Database,
  ip: string,
  username: string,
  limits: ConsoleLimits,
): Promise<void> {
  const name = username.toLowerCase();
  const perMinute = limits.authAttemptsPerMinute;
  const buckets: [string, number][] = [
    [`auth-ip:${ip}`, perMinute],
    [`auth-user-ip:${name}:${ip}`, perMinute],
    [`auth-user:${name}`, perMinute * 10],
  ];
  for (const [key, limit] of buckets) {
    const result = await db.cache.rateLimiter.hit(key, limit, 60);
    if (!result.allowed) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many attempts; try again in ${result.retryAfterSeconds} s.`,
      });
    }
  }
}
