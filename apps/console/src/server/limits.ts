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
 * Login and registration: a guessing attacker is slowed per address, and per account from each
 * address, so that one address guessing a name cannot lock its owner out elsewhere. Guesses at
 * one account from many addresses meet a ten times higher limit for the account as a whole.
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
