import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who is signed in at the provider when the browser arrives at its authorize page. */
export interface ProviderUser {
  /** GitHub: the numeric id; OIDC: the `sub`. */
  id: string;
  login: string;
  name?: string;
  email?: string;
  emailVerified?: boolean;
}

/** Ways the OIDC token endpoint can hand out an ID token the client must refuse. */
export type IdTokenFault = 'audience' | 'signature' | 'nonce' | 'expiry' | 'issuer';

interface Grant {
  kind: 'github' | 'oidc';
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  user: ProviderUser;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * A small OAuth 2 / OpenID Connect provider and GitHub look-alike on loopback: discovery, JWKS
 * (an RSA key made at start), authorize (redirects back with code and state), token (checks the
 * client's credentials and the PKCE verifier against the S256 challenge, one use per code),
 * userinfo; and GitHub's /login/oauth/authorize, /login/oauth/access_token, /api/v3/user and
 * /api/v3/user/emails (as a GitHub Enterprise Server lays them out).
 */
export class FakeProvider {
  readonly clientId = 'console-client';
  readonly clientSecret = 'console-client-secret';
  /** The person signed in at the provider; null → they decline (error=access_denied). */
  user: ProviderUser | null = null;
  idTokenFault: IdTokenFault | null = null;
  /** Every token request's form fields, for checks on what the console sent. */
  readonly tokenRequests: Record<string, string>[] = [];
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, ProviderUser>();
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** A key the provider never published: signatures by it must be refused. */
  private readonly strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: Error) => {
      res.writeHead(500).end(error.message);
    });
  });
  base = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get wellKnown(): string {
    return `${this.base}/oidc/.well-known/openid-configuration`;
  }

  get issuer(): string {
    return `${this.base}/oidc`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /oidc/.well-known/openid-configuration':
        return json(200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          userinfo_endpoint: `${this.issuer}/userinfo`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'profile', 'email'],
        });
      case 'GET /oidc/jwks':
        return json(200, {
          keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig' }],
        });
      case 'GET /oidc/authorize':
        return this.authorize(url, res, 'oidc');
      case 'GET /login/oauth/authorize':
        return this.authorize(url, res, 'github');
      case 'POST /oidc/token':
        return this.token(req, res, 'oidc');
      case 'POST /login/oauth/access_token':
        return this.token(req, res, 'github');
      case 'GET /oidc/userinfo': {
        const user = this.bearer(req);
        if (!user) return json(401, { error: 'invalid_token' });
        return json(200, {
          sub: user.id,
          preferred_username: user.login,
          name: user.name,
          email: user.email,
          email_verified: user.emailVerified ?? false,
        });
      }
      case 'GET /api/v3/user': {
        const user = this.bearer(req);
        if (!user) return json(401, { message: 'Bad credentials' });
        return json(200, {
          id: Number(user.id),
          login: user.login,
          name: user.name ?? null,
          email: null,
        });
      }
      case 'GET /api/v3/user/emails': {
        const user = this.bearer(req);
        if (!user) return json(401, { message: 'Bad credentials' });
        return json(
          200,
          user.email
            ? [
                { email: `${user.login}@users.noreply.example`, primary: false, verified: true },
                {
                  email: user.email,
                  primary: true,
                  verified: user.emailVerified ?? false,
                  visibility: 'private',
                },
              ]
            : [],
        );
      }
      default:
        return json(404, { error: 'not_found' });
    }
  }

  private authorize(url: URL, res: ServerResponse, kind: Grant['kind']): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.clientId || !redirectUri) {
      res.writeHead(400).end('unknown client');
      return;
    }
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
      res.writeHead(400).end('PKCE with S256 required');
      return;
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    if (!this.user) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = base64url(randomBytes(16));
      this.grants.set(code, {
        kind,
        clientId: this.clientId,
        redirectUri,
        challenge: q.get('code_challenge')!,
        nonce: q.get('nonce') ?? '',
        user: this.user,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  private async token(
    req: IncomingMessage,
    res: ServerResponse,
    kind: Grant['kind'],
  ): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const form = Object.fromEntries(new URLSearchParams(body));
    this.tokenRequests.push(form);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64')
          .toString()
          .split(':')
          .map((part) => decodeURIComponent(part))
      : [form.client_id, form.client_secret];
    // GitHub names errors in a 200 answer; an OAuth 2 server answers 400/401.
    const refuse = (status: number, error: string): void => {
      res
        .writeHead(kind === 'github' ? 200 : status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error }));
    };
    if (id !== this.clientId || secret !== this.clientSecret) {
      return refuse(401, kind === 'github' ? 'incorrect_client_credentials' : 'invalid_client');
    }
    const grant = this.grants.get(form.code ?? '');
    this.grants.delete(form.code ?? '');
    if (!grant || grant.kind !== kind || grant.redirectUri !== form.redirect_uri) {
      return refuse(400, kind === 'github' ? 'bad_verification_code' : 'invalid_grant');
    }
    if (!form.code_verifier || s256(form.code_verifier) !== grant.challenge) {
      return refuse(400, 'invalid_grant');
    }
    const accessToken = base64url(randomBytes(24));
    this.accessTokens.set(accessToken, grant.user);
    const answer: Record<string, unknown> = {
      access_token: accessToken,
      token_type: kind === 'github' ? 'bearer' : 'Bearer',
      scope: kind === 'github' ? 'read:user,user:email' : 'openid profile email',
    };
    if (kind === 'oidc') answer.id_token = this.idToken(grant);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  private idToken(grant: Grant): string {
    const now = Math.floor(Date.now() / 1000);
    const fault = this.idTokenFault;
    const header = { alg: 'RS256', typ: 'JWT', kid: 'k1' };
    const claims = {
      iss: fault === 'issuer' ? `${this.base}/elsewhere` : this.issuer,
      sub: grant.user.id,
      aud: fault === 'audience' ? 'another-client' : grant.clientId,
      iat: now - 5,
      exp: fault === 'expiry' ? now - 3600 : now + 300,
      nonce: fault === 'nonce' ? 'not-the-nonce' : grant.nonce,
      preferred_username: grant.user.login,
      name: grant.user.name,
      email: grant.user.email,
      email_verified: grant.user.emailVerified ?? false,
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const key = fault === 'signature' ? this.strangerKey : this.keys.privateKey;
    const signature = createSign('RSA-SHA256').update(input).sign(key);
    return `${input}.${base64url(signature)}`;
  }

  private bearer(req: IncomingMessage): ProviderUser | undefined {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return token ? this.accessTokens.get(token) : undefined;
  }
}
