// Brings @fastify/cookie's request.cookies / reply.setCookie typings.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IDENTITY_PROVIDERS } from '@chat-api/db';

/**
 * A sign-in in progress: what the callback needs to finish it. It rides in a signed, httpOnly
 * cookie of this browser rather than in the cache: the callback must come from the browser that
 * started the flow (else anyone could send a victim a callback link with their own code and sign
 * them in to the wrong account), the cookie lets any console node finish the flow without Redis,
 * and it is signed with SESSION_SECRET, which several nodes share already for their sessions.
 * Single use: the callback clears it and marks its state as spent (see consumeState).
 */
export const FLOW_COOKIE = 'chat_api_oauth';
/** The time a person has to finish at the provider (and sign in there first). */
export const FLOW_TTL_SECONDS = 600;
const COOKIE_PATH = '/api/oauth/';

const flowSchema = z.object({
  provider: z.enum(IDENTITY_PROVIDERS),
  mode: z.enum(['login', 'bind']),
  state: z.string().min(1),
  codeVerifier: z.string().min(1),
  /** OpenID Connect's nonce, checked in the ID token; '' for GitHub. */
  nonce: z.string(),
  /** bind: the signed-in user the account is for. */
  userId: z.number().int().nullable(),
  /** The exact redirect_uri sent to the provider, which the code exchange repeats. */
  redirectUri: z.string().min(1),
  expiresAt: z.number(),
});

export type OAuthFlow = z.infer<typeof flowSchema>;

export function setFlowCookie(request: FastifyRequest, reply: FastifyReply, flow: OAuthFlow) {
  void reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
    signed: true,
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level GET navigation, which still carries it.
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: COOKIE_PATH,
    maxAge: FLOW_TTL_SECONDS,
  });
}

/** The flow of this browser, once: the cookie is cleared whatever it holds. */
export function takeFlowCookie(request: FastifyRequest, reply: FastifyReply): OAuthFlow | null {
  const raw = request.cookies[FLOW_COOKIE];
  if (raw === undefined) return null;
  void reply.clearCookie(FLOW_COOKIE, { path: COOKIE_PATH });
  const { valid, value } = request.unsignCookie(raw);
  if (!valid || !value) return null;
  try {
    const parsed = flowSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString()));
    return parsed.success && parsed.data.expiresAt > Date.now() / 1000 ? parsed.data : null;
  } catch {
    return null;
  }
}
