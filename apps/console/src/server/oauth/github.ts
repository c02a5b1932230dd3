import { z } from 'zod';
import { checkedAccount, type SignedInAccount } from './provider-account.js';
import { ProviderError } from './provider-error.js';

/** Where GitHub is: github.com, or a GitHub Enterprise Server (GITHUB_BASE_URL, GITHUB_API_URL). */
export interface GitHubEndpoints {
  /** Serves /login/oauth/authorize and /login/oauth/access_token. */
  baseUrl: string;
  /** Serves GET /user and /user/emails (https://HOST/api/v3 on Enterprise Server). */
  apiUrl: string;
}

export const GITHUB_COM: GitHubEndpoints = {
  baseUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
};

const TIMEOUT_MS = 10_000;
/** The user's profile and their email addresses (to take the primary one if verified). */
const SCOPE = 'read:user user:email';

const trimmed = (url: string) => url.replace(/\/+$/, '');

/** Whose user ids these are: ids of github.com and of an Enterprise Server are different people. */
export const githubIssuer = (endpoints: GitHubEndpoints) => trimmed(endpoints.baseUrl);

export function githubAuthorizeUrl(options: {
  endpoints: GitHubEndpoints;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}): string {
  const url = new URL(`${trimmed(options.endpoints.baseUrl)}/login/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    scope: SCOPE,
    state: options.state,
    code_challenge: options.codeChallenge,
    code_challenge_method: 'S256',
    allow_signup: 'true',
  }).toString();
  return url.href;
}

// GitHub answers the token request with 200 even for a refused code, naming the error instead.
const tokenAnswer = z.union([
  z.object({ access_token: z.string().min(1) }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);
const githubUser = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
const githubEmails = z.array(
  z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

async function getJson(url: string, init: RequestInit, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ProviderError(`${what}: cannot reach ${url} (${(error as Error).message})`);
  }
  if (!response.ok) throw new ProviderError(`${what}: ${url} answered ${response.status}`);
  return response.json().catch(() => {
    throw new ProviderError(`${what}: ${url} answered something other than JSON`);
  });
}

/** Exchanges the code (with the PKCE verifier) and reads who signed in. */
export async function githubAccount(options: {
  endpoints: GitHubEndpoints;
  clientId: string;
  clientSecret: string;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}): Promise<SignedInAccount> {
  const { endpoints } = options;
  const answer = tokenAnswer.safeParse(
    await getJson(
      `${trimmed(endpoints.baseUrl)}/login/oauth/access_token`,
      {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          client_id: options.clientId,
          client_secret: options.clientSecret,
          code: options.code,
          code_verifier: options.codeVerifier,
          redirect_uri: options.redirectUri,
        }),
      },
      'GitHub token',
    ),
  );
  if (!answer.success) throw new ProviderError('GitHub token: unexpected answer');
  if ('error' in answer.data) {
    throw new ProviderError(
      `GitHub token: ${answer.data.error} ${answer.data.error_description ?? ''}`.trim(),
    );
  }
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${answer.data.access_token}`,
    'user-agent': 'chat-api',
    'x-github-api-version': '2022-11-28',
  };
  const api = trimmed(endpoints.apiUrl);
  const user = githubUser.safeParse(await getJson(`${api}/user`, { headers }, 'GitHub user'));
  if (!user.success) throw new ProviderError('GitHub user: unexpected answer');
  // Only an address GitHub has verified; without the email scope granted, none.
  const emails = githubEmails.safeParse(
    await getJson(`${api}/user/emails`, { headers }, 'GitHub emails').catch(() => []),
  );
  const primary = emails.success
    ? emails.data.find((entry) => entry.primary && entry.verified)
    : undefined;
  return checkedAccount({
    provider: 'github',
    issuer: githubIssuer(endpoints),
    subject: String(user.data.id),
    login: user.data.login,
    email: primary?.email ?? '',
    name: user.data.name ?? '',
  });
}
