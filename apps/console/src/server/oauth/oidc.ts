import * as oidc from 'openid-client';
import { checkedAccount, type SignedInAccount } from './provider-account.js';
import { ProviderError } from './provider-error.js';

export interface OidcSettings {
  wellKnown: string;
  clientId: string;
  clientSecret: string;
}

const TIMEOUT_SECONDS = 10;
/** Discovery results per settings: the metadata and, inside, the provider's signing keys. */
const CONFIG_TTL_MS = 10 * 60_000;
const configs = new Map<string, { config: Promise<oidc.Configuration>; expiresAt: number }>();

/** Plain http only to this machine (a provider on loopback); anywhere else it must be https. */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

async function discover(settings: OidcSettings): Promise<oidc.Configuration> {
  let url: URL;
  try {
    url = new URL(settings.wellKnown);
  } catch {
    throw new ProviderError(`OIDC: OidcWellKnown is not a URL`);
  }
  const execute = [
    // Checks the ID token's signature with the provider's published keys (JWKS), even though it
    // came straight from the token endpoint.
    oidc.enableNonRepudiationChecks,
    ...(url.protocol === 'http:' && isLoopback(url) ? [oidc.allowInsecureRequests] : []),
  ];
  try {
    return await oidc.discovery(
      url,
      settings.clientId,
      settings.clientSecret || undefined,
      undefined,
      {
        execute,
        timeout: TIMEOUT_SECONDS,
      },
    );
  } catch (error) {
    throw new ProviderError(`OIDC discovery at ${url.href}: ${(error as Error).message}`);
  }
}

/** The provider's configuration, discovered once per settings for a while. */
function configuration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = JSON.stringify(settings);
  const cached = configs.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.config;
  const config = discover(settings);
  configs.set(key, { config, expiresAt: Date.now() + CONFIG_TTL_MS });
  // A failed discovery is tried again next time.
  config.catch(() => configs.delete(key));
  return config;
}

export async function oidcAuthorizeUrl(options: {
  settings: OidcSettings;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}): Promise<string> {
  const config = await configuration(options.settings);
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: options.redirectUri,
    scope: 'openid profile email',
    state: options.state,
    nonce: options.nonce,
    code_challenge: options.codeChallenge,
    code_challenge_method: 'S256',
  }).href;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Exchanges the code and checks the ID token (issuer, audience, signature, nonce, expiry) and the
 * state; then reads the userinfo endpoint, when there is one, for the name and email.
 */
export async function oidcAccount(options: {
  settings: OidcSettings;
  /** The callback URL as the browser requested it (redirect_uri plus the provider's query). */
  callbackUrl: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}): Promise<SignedInAccount> {
  const config = await configuration(options.settings);
  let claims: oidc.IDToken;
  let info: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, options.callbackUrl, {
      pkceCodeVerifier: options.codeVerifier,
      expectedState: options.state,
      expectedNonce: options.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims()!;
    info = config.serverMetadata().userinfo_endpoint
      ? await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)
      : {};
  } catch (error) {
    throw new ProviderError(`OIDC: ${(error as Error).message}`);
  }
  const merged: Record<string, unknown> = { ...info, ...claims };
  const email = merged.email_verified === true ? text(merged.email) : '';
  return checkedAccount({
    provider: 'oidc',
    issuer: claims.iss,
    subject: claims.sub,
    login: text(merged.preferred_username) || text(merged.email) || claims.sub,
    email,
    name: text(merged.name),
  });
}
