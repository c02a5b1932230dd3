import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import type { Database, User } from '@chat-api/db';
import type { ConsoleLimits } from './limits.js';
import type { ConsoleMetrics } from './metrics/console-metrics.js';
import { readSessionCookie } from './session-cookie.js';

export interface Context {
  db: Database;
  /** IANA zone for day boundaries (TZ). */
  timeZone: string;
  limits: ConsoleLimits;
  /** The proxy's port (PROXY_PORT), for the API examples when ServerAddress is not set. */
  proxyPort: number;
  /** Where each procedure call is counted (GET /metrics). */
  metrics?: ConsoleMetrics;
  /** Emailed links (password reset) and return URLs; undefined when FRONTEND_BASE_URL is unset. */
  publicUrl: string | undefined;
  /** Cloudflare's siteverify, or TURNSTILE_VERIFY_URL. */
  turnstileVerifyUrl: string;
  /** Stripe's API origin (STRIPE_API_BASE). */
  stripeApiBase: string;
  req: CreateFastifyContextOptions['req'];
  res: CreateFastifyContextOptions['res'];
  user: User | null;
  /** The secret of the cookie session making this request, if it came with one. */
  sessionSecret: string | undefined;
}

/** Who makes the request: the session cookie's user, or `Authorization: Bearer <accessToken>`'s. */
export async function identify(
  db: Database,
  req: CreateFastifyContextOptions['req'],
): Promise<{ user: User | null; sessionSecret: string | undefined }> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer)
    return { user: await db.repos.users.findByAccessToken(bearer), sessionSecret: undefined };
  const sessionSecret = readSessionCookie(req);
  const userId = sessionSecret ? await db.repos.sessions.findUserId(sessionSecret) : null;
  const user = userId === null ? null : await db.repos.users.findById(userId);
  return { user, sessionSecret: user ? sessionSecret : undefined };
}

/** Identity from the session cookie, or from `Authorization: Bearer <accessToken>` (scripts). */
export function contextFactory({
  db,
  timeZone,
  limits,
  proxyPort,
  metrics,
  publicUrl,
  turnstileVerifyUrl,
  stripeApiBase,
}: {
  db: Database;
  timeZone: string;
  limits: ConsoleLimits;
  proxyPort: number;
  metrics?: ConsoleMetrics;
  publicUrl: string | undefined;
  turnstileVerifyUrl: string;
  stripeApiBase: string;
}) {
  return async ({ req, res }: CreateFastifyContextOptions): Promise<Context> => ({
    db,
    timeZone,
    limits,
    proxyPort,
    metrics,
    publicUrl,
    turnstileVerifyUrl,
    stripeApiBase,
    req,
    res,
    ...(await identify(db, req)),
  });
}
