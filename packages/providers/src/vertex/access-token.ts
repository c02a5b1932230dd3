import { createHash, sign } from 'node:crypto';
import { UpstreamError } from '../errors.js';
import type { ServiceAccount } from './service-account.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const LIFETIME_SECONDS = 3600;
/** A token this close to its expiry is renewed: a request must not start with a dying one. */
const RENEW_BEFORE_MS = 5 * 60_000;
const MINT_TIMEOUT_MS = 10_000;
/**
 * A failed mint is answered again for this long: requests arriving meanwhile fail over at once
 * instead of each waiting on a token service that just refused or did not answer.
 */
const FAILURE_KEPT_MS = 10_000;
/** Google's access tokens are a few hundred characters; anything else is not one of theirs. */
const ACCESS_TOKEN = /^[\x21-\x7e]{1,4096}$/;

interface CachedToken {
  token: string;
  expiresAt: number;
}

interface FailedMint {
  error: unknown;
  until: number;
}

const minted = new Map<string, CachedToken>();
const failed = new Map<string, FailedMint>();
const minting = new Map<string, Promise<CachedToken>>();

/**
 * An OAuth2 access token for Vertex AI, minted from the service account with the JWT-bearer
 * grant (RFC 7523) and kept until shortly before it expires; concurrent requests share one mint,
 * and a failed mint is kept only briefly. Signed here with node:crypto rather than
 * google-auth-library: the versions that run on Node 20 mint through gtoken, which posts to a
 * fixed Google URL and ignores the key file's `token_uri`. A refusal by the token service is the
 * channel's credentials failing (401); a token service out of reach or failing is a 502, one
 * rate limiting a 429. `now` is the time the caches are judged by.
 */
export async function vertexAccessToken(
  account: ServiceAccount,
  now = Date.now(),
): Promise<string> {
  const id = cacheKey(account);
  const cached = minted.get(id);
  if (cached && cached.expiresAt - RENEW_BEFORE_MS > now) return cached.token;
  const failure = failed.get(id);
  if (failure && failure.until > now) throw failure.error;
  let pending = minting.get(id);
  if (!pending) {
    pending = mint(account).then(
      (fresh) => {
        minting.delete(id);
        minted.set(id, fresh);
        failed.delete(id);
        return fresh;
      },
      (error: unknown) => {
        minting.delete(id);
        failed.set(id, { error, until: Date.now() + FAILURE_KEPT_MS });
        throw error;
      },
    );
    minting.set(id, pending);
  }
  return (await pending).token;
}

/** Forgets every token (tests, and a process that must not reuse one). */
export function forgetVertexTokens(): void {
  minted.clear();
  failed.clear();
}

const cacheKeys = new WeakMap<ServiceAccount, string>();

function cacheKey(account: ServiceAccount): string {
  let key = cacheKeys.get(account);
  if (key === undefined) {
    // The private key is part of the identity (a rotated key mints anew), hashed so that the
    // map does not hold a second copy of it.
    const keyHash = createHash('sha256').update(account.privateKey).digest('base64url');
    key = `${account.tokenUri}\n${account.clientEmail}\n${keyHash}`;
    cacheKeys.set(account, key);
  }
  return key;
}

async function mint(account: ServiceAccount): Promise<CachedToken> {
  // Signed and dated by the clock Google checks, whatever time the caller judges expiry by.
  const now = Date.now();
  const issuedAt = Math.floor(now / 1000);
  const assertion = signedAssertion(account, issuedAt);
  let response: Response;
  try {
    response = await fetch(account.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }).toString(),
      signal: AbortSignal.timeout(MINT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new UpstreamError(`the Google token service cannot be reached (${why(error)})`, 502);
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 500) {
    throw new UpstreamError(`the Google token service answered ${response.status}`, 502);
  }
  if (response.status === 429) {
    // Rate limited, not refused: another channel serves the request and this one stays on.
    throw new UpstreamError('the Google token service is rate limiting token requests', 429);
  }
  if (!response.ok) {
    // The client may read this message: it names neither the account nor its project.
    throw new UpstreamError(
      `the Google token service refused the channel's service account (${refusal(text)})`,
      401,
    );
  }
  const body = parseObject(text);
  const token = body.access_token;
  const expiresIn = body.expires_in;
  if (typeof token !== 'string' || !ACCESS_TOKEN.test(token) || typeof expiresIn !== 'number') {
    throw new UpstreamError('the Google token service answered without an access token', 502);
  }
  // A lifetime outside what Google gives (an hour) is not believed past that hour.
  const seconds = Math.min(Math.max(expiresIn, 0), LIFETIME_SECONDS);
  return { token, expiresAt: now + seconds * 1000 };
}

function signedAssertion(account: ServiceAccount, issuedAt: number): string {
  const header = base64url({ alg: 'RS256', typ: 'JWT' });
  const claims = base64url({
    iss: account.clientEmail,
    scope: SCOPE,
    aud: account.tokenUri,
    iat: issuedAt,
    exp: issuedAt + LIFETIME_SECONDS,
  });
  let signature: Buffer;
  try {
    signature = sign('RSA-SHA256', Buffer.from(`${header}.${claims}`), account.privateKey);
  } catch {
    // An unreadable private key: the channel's credentials, not the request, are wrong.
    throw new UpstreamError('the private_key of the Vertex AI key file cannot sign', 401);
  }
  return `${header}.${claims}.${signature.toString('base64url')}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Google's words for a refusal (`invalid_grant: …`), short, never the assertion. */
function refusal(text: string): string {
  const body = parseObject(text);
  const words = [body.error, body.error_description].filter((part) => typeof part === 'string');
  return words.length > 0 ? words.join(': ').slice(0, 300) : 'no reason given';
}

/** Why a fetch failed, as a code (ECONNREFUSED, a timeout) rather than an address. */
function why(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}
