import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { z } from 'zod';
import {
  IDENTITY_PROVIDERS,
  sha256Hex,
  UserStatus,
  type Database,
  type OptionKey,
} from '@chat-api/db';
import { identify } from '../context.js';
import {
  bindAccount,
  OAuthFailure,
  signInWithAccount,
  type OAuthErrorCode,
} from '../oauth/account-sign-in.js';
import {
  FLOW_TTL_SECONDS,
  setFlowCookie,
  takeFlowCookie,
  type OAuthFlow,
} from '../oauth/flow-cookie.js';
import { githubAccount, githubAuthorizeUrl, type GitHubEndpoints } from '../oauth/github.js';
import { oidcAccount, oidcAuthorizeUrl } from '../oauth/oidc.js';
import type { SignedInAccount } from '../oauth/provider-account.js';
import { ProviderError } from '../oauth/provider-error.js';
import { githubSettings, oidcSettings } from '../oauth/settings.js';

const params = z.object({ provider: z.enum(IDENTITY_PROVIDERS) });
const startQuery = z.object({ mode: z.enum(['login', 'bind']).default('login') });
const callbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
});

/** The console page that shows the outcome: the sign-in page, or the profile for bindings. */
function resultUrl(mode: OAuthFlow['mode'], outcome: { error: OAuthErrorCode } | 'ok'): string {
  if (outcome === 'ok') return mode === 'bind' ? '/profile?oauth=bound' : '/';
  // Someone no longer signed in cannot see the profile page: the sign-in page says it.
  const page = mode === 'bind' && outcome.error !== 'signed_out' ? '/profile' : '/login';
  return `${page}?oauth_error=${outcome.error}`;
}

/** The signed-in user who may bind an account: enabled, past the forced password change. */
async function binder(db: Database, request: FastifyRequest): Promise<number | null> {
  const { user } = await identify(db, request);
  return user && user.status === UserStatus.enabled && !user.mustChangePassword ? user.id : null;
}

/** Who signed in at the provider: the code exchanged (with the verifier) and checked. */
async function accountOf(
  flow: OAuthFlow,
  context: {
    request: FastifyRequest;
    code: string | undefined;
    github: GitHubEndpoints;
    options: Record<OptionKey, string>;
  },
): Promise<SignedInAccount> {
  if (flow.provider === 'github') {
    const settings = githubSettings(context.options);
    if (!settings) throw new OAuthFailure('disabled');
    return githubAccount({
      ...settings,
      endpoints: context.github,
      code: context.code ?? '',
      codeVerifier: flow.codeVerifier,
      redirectUri: flow.redirectUri,
    });
  }
  const settings = oidcSettings(context.options);
  if (!settings) throw new OAuthFailure('disabled');
  // openid-client reads the provider's answer (code, state, iss) from the URL as it came.
  const callbackUrl = new URL(flow.redirectUri);
  callbackUrl.search = new URL(context.request.url, 'http://callback').search;
  return oidcAccount({ ...flow, settings, callbackUrl });
}

/**
 * Third-party sign-in (GitHub OAuth, OpenID Connect), as browser navigations:
 * `GET /api/oauth/:provider/start?mode=login|bind` sends the browser to the provider with a state
 * and a PKCE challenge; the provider sends it back to `GET /api/oauth/:provider/callback`, which
 * signs in (making the user on a first visit) or binds the account, then returns to the console
 * with the outcome in the query (`oauth_error=<code>` on the page that shows it).
 *
 * Both are GETs, so the cross-site refusal (same-origin.ts, for methods that change things) lets
 * the provider's redirect through, and the per-address web limit counts them like page loads: a
 * sign-in is two requests. The flow cookie ties the callback to the browser that started it.
 */
export function oauthRoutes(
  app: FastifyInstance,
  {
    db,
    github,
    publicUrl,
  }: {
    db: Database;
    github: GitHubEndpoints;
    /** FRONTEND_BASE_URL: the console's address behind a TLS-terminating proxy. */
    publicUrl: string | undefined;
  },
): void {
  app.get('/api/oauth/:provider/start', async (request, reply) => {
    const path = params.safeParse(request.params);
    const query = startQuery.safeParse(request.query);
    if (!path.success || !query.success) return reply.code(404).send({ error: 'Not found' });
    const { provider } = path.data;
    const { mode } = query.data;
    const fail = (error: OAuthErrorCode) => reply.redirect(resultUrl(mode, { error }));
    const options = await db.repos.options.effective();
    const userId = mode === 'bind' ? await binder(db, request) : null;
    if (mode === 'bind' && userId === null) return fail('signed_out');
    const origin = publicUrl ?? `${request.protocol}://${request.host}`;
    const redirectUri = `${origin}/api/oauth/${provider}/callback`;
    const flow: OAuthFlow = {
      provider,
      mode,
      state: oidc.randomState(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      nonce: provider === 'oidc' ? oidc.randomNonce() : '',
      userId,
      redirectUri,
      expiresAt: Math.floor(Date.now() / 1000) + FLOW_TTL_SECONDS,
    };
    const codeChallenge = await oidc.calculatePKCECodeChallenge(flow.codeVerifier);
    let location: string;
    if (provider === 'github') {
      const settings = githubSettings(options);
      if (!settings) return fail('disabled');
      location = githubAuthorizeUrl({ ...flow, endpoints: github, ...settings, codeChallenge });
    } else {
      const settings = oidcSettings(options);
      if (!settings) return fail('disabled');
      try {
        location = await oidcAuthorizeUrl({ ...flow, settings, codeChallenge });
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        request.log.warn(error.message);
        return fail('provider');
      }
    }
    setFlowCookie(request, reply, flow);
    return reply.header('cache-control', 'no-store').redirect(location);
  });

  app.get('/api/oauth/:provider/callback', async (request, reply) => {
    const path = params.safeParse(request.params);
    if (!path.success) return reply.code(404).send({ error: 'Not found' });
    const flow = takeFlowCookie(request, reply);
    const mode = flow?.mode ?? 'login';
    reply.header('cache-control', 'no-store');
    try {
      const query = callbackQuery.safeParse(request.query);
      if (!flow || !query.success || flow.provider !== path.data.provider) {
        throw new OAuthFailure('state');
      }
      if (query.data.state !== flow.state) throw new OAuthFailure('state');
      // Spent on first use, on every node sharing Redis: a replayed callback is refused here.
      const once = await db.cache.rateLimiter.hit(
        `oauth-state:${sha256Hex(flow.state)}`,
        1,
        FLOW_TTL_SECONDS,
      );
      if (!once.allowed) throw new OAuthFailure('state');
      if (query.data.error !== undefined) throw new OAuthFailure('denied');
      // bind: still signed in as the user who began it.
      const userId = flow.mode === 'bind' ? await binder(db, request) : null;
      if (flow.mode === 'bind' && (userId === null || userId !== flow.userId)) {
        throw new OAuthFailure('signed_out');
      }
      const options = await db.repos.options.effective();
      const account = await accountOf(flow, { request, code: query.data.code, github, options });
      if (userId !== null) await bindAccount(db, userId, account);
      else await signInWithAccount(db, request, reply, account);
      return reply.redirect(resultUrl(mode, 'ok'));
    } catch (error) {
      if (error instanceof ProviderError) {
        request.log.warn(error.message);
        return reply.redirect(resultUrl(mode, { error: 'provider' }));
      }
      if (error instanceof OAuthFailure)
        return reply.redirect(resultUrl(mode, { error: error.code }));
      throw error;
    }
  });
}
