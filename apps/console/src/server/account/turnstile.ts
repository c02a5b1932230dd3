import { TRPCError } from '@trpc/server';
import type { OptionKey } from '@chat-api/db';

/** Cloudflare's siteverify endpoint; TURNSTILE_VERIFY_URL replaces it (tests, a proxy). */
export const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Cloudflare's own limit on a widget token. */
const MAX_TOKEN_LENGTH = 2048;
const VERIFY_TIMEOUT_MS = 10_000;

/**
 * When TurnstileCheckEnabled is on, the widget's token must be confirmed by siteverify before
 * the form is acted on. Fails closed: no secret, no answer or an unreadable one is a refusal.
 */
export async function requireTurnstile(
  options: Record<OptionKey, string>,
  token: string | undefined,
  ip: string,
  verifyUrl: string,
): Promise<void> {
  if (options.TurnstileCheckEnabled !== 'true') return;
  if (!token || token.length > MAX_TOKEN_LENGTH) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'turnstileToken: complete the check.' });
  }
  if (!(await siteverify(options.TurnstileSecretKey, token, ip, verifyUrl))) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'turnstileToken: the check failed; try it again.',
    });
  }
}

async function siteverify(
  secret: string,
  token: string,
  ip: string,
  verifyUrl: string,
): Promise<boolean> {
  if (!secret) return false;
  try {
    const response = await fetch(verifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ secret, response: token, remoteip: ip }),
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    if (!response.ok) return false;
    const answer = (await response.json()) as { success?: unknown };
    return answer.success === true;
  } catch {
    return false;
  }
}
