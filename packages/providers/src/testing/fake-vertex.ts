import { generateKeyPairSync, verify } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { fakeAnthropicRoute } from './fake-anthropic.js';
import { fakeGeminiRoute } from './fake-gemini.js';
import type { ProviderRoute } from './fake-routes.js';
import type { FakeUpstream, RecordedRequest } from './fake-upstream.js';

/** The service account, project and region a fake Vertex AI accepts. */
export interface FakeVertexAccount {
  clientEmail: string;
  /** PEM of the public half of the service account's key. */
  publicKey: string;
  project: string;
  region: string;
}

interface VertexState {
  account: FakeVertexAccount;
  /** Access tokens minted, with their expiry (ms). */
  tokens: Map<string, number>;
  mints: number;
}

const states = new Map<string, VertexState>();

/**
 * Makes a fake upstream answer as Vertex AI for this service account: `POST /token` mints access
 * tokens for a JWT-bearer grant signed by the account's key (the key file's `token_uri` points
 * there), and `/v1/projects/{p}/locations/{r}/publishers/{anthropic|google}/models/{m}:{method}`
 * answers Claude (`rawPredict`, `streamRawPredict`) as the fake Anthropic does and Gemini
 * (`generateContent`, `streamGenerateContent`) as the fake Gemini does, for a token it minted.
 */
export function configureFakeVertex(fake: FakeUpstream, account: FakeVertexAccount): void {
  states.set(new URL(fake.url).host, { account, tokens: new Map(), mints: 0 });
}

/** Where a test service account is meant to be used. */
export interface FakeVertexSettings {
  project: string;
  region: string;
  clientEmail?: string;
}

/**
 * A throwaway service account for tests: a fresh RSA key pair made now (no private key is kept
 * in the repository), the fake told to accept it, and its key file as Google Cloud gives it out,
 * with `token_uri` at the fake. Returns the key file, a Vertex AI channel's key.
 */
export function fakeVertexServiceAccount(fake: FakeUpstream, settings: FakeVertexSettings): string {
  const { project, region } = settings;
  const clientEmail = settings.clientEmail ?? `gateway@${project}.iam.gserviceaccount.com`;
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  configureFakeVertex(fake, { clientEmail, publicKey, project, region });
  return JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: '3f1c0e9a7b5d4c2e8f6a0b1c2d3e4f5a6b7c8d9e',
    private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: '104567890123456789012',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: `${fake.url}/token`,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    universe_domain: 'googleapis.com',
  });
}

/** How many access tokens the fake has minted since it was configured. */
export function fakeVertexMints(fake: FakeUpstream): number {
  return states.get(new URL(fake.url).host)?.mints ?? 0;
}

/** Ends the life of every token the fake has minted, as an hour passing would. */
export function expireFakeVertexTokens(fake: FakeUpstream): void {
  const tokens = states.get(new URL(fake.url).host)?.tokens;
  for (const token of tokens?.keys() ?? []) tokens?.set(token, 0);
}

const MODEL_PATH =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(anthropic|google)\/models\/([^/:]+):(rawPredict|streamRawPredict|generateContent|streamGenerateContent)$/;

export const fakeVertexRoute: ProviderRoute = {
  ownCredentials: true,
  matches: (record) =>
    record.method === 'POST' &&
    states.has(record.headers.host ?? '') &&
    (pathOf(record) === '/token' || MODEL_PATH.test(pathOf(record))),
  answer: async (ctx, record, res) => {
    const state = states.get(record.headers.host ?? '')!;
    if (pathOf(record) === '/token') return mint(state, record, res);
    const [, project, region, publisher, model = '', method] = MODEL_PATH.exec(pathOf(record))!;
    const token = /^Bearer (.+)$/.exec(record.headers.authorization ?? '')?.[1] ?? '';
    const expiresAt = state.tokens.get(token);
    if (expiresAt === undefined || expiresAt < Date.now()) {
      return sendGoogleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials.',
      );
    }
    if (project !== state.account.project || region !== state.account.region) {
      return sendGoogleError(
        res,
        404,
        'NOT_FOUND',
        `Publisher model ${model} not found in ${project}/${region}.`,
      );
    }
    const body = (record.body ?? {}) as Record<string, unknown>;
    if (publisher === 'anthropic') {
      if (body.anthropic_version !== 'vertex-2023-10-16' || 'model' in body) {
        return sendGoogleError(
          res,
          400,
          'INVALID_ARGUMENT',
          'anthropic_version must be vertex-2023-10-16 and the model is named by the URL only.',
        );
      }
      if ((method === 'streamRawPredict') !== (body.stream === true)) {
        return sendGoogleError(
          res,
          400,
          'INVALID_ARGUMENT',
          `${method} and the body's stream disagree.`,
        );
      }
      const { anthropic_version: _version, ...rest } = body;
      const headers = {
        ...record.headers,
        'x-api-key': 'vertex',
        'anthropic-version': '2023-06-01',
      };
      return fakeAnthropicRoute.answer(
        ctx,
        delegate(record, '/v1/messages', headers, { model, ...rest }),
        res,
      );
    }
    const stream = method === 'streamGenerateContent';
    if (stream && !record.url.includes('alt=sse')) {
      return sendGoogleError(res, 400, 'INVALID_ARGUMENT', 'The fake streams only with alt=sse.');
    }
    const url = `/v1beta/models/${model}:${method}${stream ? '?alt=sse' : ''}`;
    const headers = { ...record.headers, 'x-goog-api-key': 'vertex' };
    return fakeGeminiRoute.answer(ctx, delegate(record, url, headers, record.body), res);
  },
  // Vertex AI's front end words refusals as Google does, whichever publisher's model was called.
  sendError: (res, failure) => fakeGeminiRoute.sendError(res, failure),
};

/**
 * The request as the publisher's own fake would have received it; what that fake records of its
 * answer (usage, how the stream ended) lands on the request the test sees.
 */
function delegate(
  record: RecordedRequest,
  url: string,
  headers: RecordedRequest['headers'],
  body: unknown,
): RecordedRequest {
  return Object.defineProperties(
    { ...record, url, headers, body },
    {
      usage: {
        get: () => record.usage,
        set: (usage: RecordedRequest['usage']) => (record.usage = usage),
      },
      streamEnd: {
        get: () => record.streamEnd,
        set: (end: RecordedRequest['streamEnd']) => (record.streamEnd = end),
      },
    },
  );
}

/** Google's token endpoint for the JWT-bearer grant, checked as Google checks it. */
function mint(state: VertexState, record: RecordedRequest, res: ServerResponse) {
  const form = new URLSearchParams(record.rawBody.toString('utf8'));
  const refuse = (description: string) =>
    sendJson(res, 400, { error: 'invalid_grant', error_description: description });
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return sendJson(res, 400, {
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type',
    });
  }
  const [header = '', claims = '', signature = ''] = (form.get('assertion') ?? '').split('.');
  if (decoded(header)?.alg !== 'RS256') return refuse('Invalid JWT: the algorithm must be RS256.');
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${claims}`),
    state.account.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return refuse('Invalid JWT Signature.');
  const jwt = decoded(claims) ?? {};
  const now = Date.now() / 1000;
  if (jwt.iss !== state.account.clientEmail) return refuse('Invalid issuer.');
  if (jwt.aud !== `http://${record.headers.host}/token`) return refuse('Invalid audience.');
  if (jwt.scope !== 'https://www.googleapis.com/auth/cloud-platform')
    return refuse('Invalid scope.');
  if (
    typeof jwt.exp !== 'number' ||
    jwt.exp < now ||
    typeof jwt.iat !== 'number' ||
    jwt.iat > now + 60 ||
    jwt.exp - jwt.iat > 3600
  ) {
    return refuse('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.');
  }
  state.mints += 1;
  const token = `ya29.fake-vertex-token-${state.mints}`;
  state.tokens.set(token, Date.now() + 3600_000);
  sendJson(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
}

/** A JWT part's JSON object, or undefined when it is not one. */
function decoded(part: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function sendGoogleError(res: ServerResponse, code: number, status: string, message: string) {
  sendJson(res, code, { error: { code, message, status } });
}

// Written here rather than imported: fake-routes.ts lists this route, so importing a value from
// it would leave the route undefined when a test loads this file first.
function sendJson(res: ServerResponse, status: number, body: object): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

function pathOf(record: RecordedRequest): string {
  return new URL(record.url, 'http://fake').pathname;
}
