import { sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import {
  expireFakeVertexTokens,
  fakeVertexMints,
  fakeVertexServiceAccount,
} from './fake-vertex.js';

const EMAIL = 'gateway@test-project.iam.gserviceaccount.com';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const CLAUDE = '/v1/projects/test-project/locations/global/publishers/anthropic/models';
const GEMINI = '/v1/projects/test-project/locations/global/publishers/google/models';
const claudeBody = {
  anthropic_version: 'vertex-2023-10-16',
  max_tokens: 10,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
};
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };

let fake: FakeUpstream;
let privateKey: string;

beforeAll(async () => {
  fake = await startFakeUpstream({ reply: 'Hello there from Vertex' });
  const keyFile = fakeVertexServiceAccount(fake, { project: 'test-project', region: 'global' });
  privateKey = (JSON.parse(keyFile) as { private_key: string }).private_key;
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

/** A recorded sample of Google's token service, from fixtures/vertex. */
function sample(name: string): Record<string, unknown> {
  const url = new URL(`../../fixtures/vertex/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

/** Each field's JSON type: the fake answers in the recorded sample's shape. */
function shapeOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value]));
}

function part(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT-bearer assertion as Google's client libraries sign it, with these claims changed. */
function assertion(claims: Record<string, unknown> = {}, header: object = { alg: 'RS256' }) {
  const iat = Math.floor(Date.now() / 1000);
  const signed = `${part({ typ: 'JWT', ...header })}.${part({
    iss: EMAIL,
    scope: SCOPE,
    aud: `${fake.url}/token`,
    iat,
    exp: iat + 3600,
    ...claims,
  })}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

async function mint(grant: string, grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
  const res = await fetch(`${fake.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion: grant }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function token(): Promise<string> {
  const { body } = await mint(assertion());
  return String(body.access_token);
}

async function call(path: string, body: object, bearer?: string) {
  const res = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('the fake Vertex AI token service', () => {
  it('mints an hour-long bearer token for a grant signed by the service account', async () => {
    const before = fakeVertexMints(fake);
    const { status, body } = await mint(assertion());
    expect(status).toBe(200);
    expect(body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      token_type: 'Bearer',
    });
    expect(shapeOf(body)).toEqual(shapeOf(sample('token.json')));
    expect(fakeVertexMints(fake)).toBe(before + 1);
  });

  it('refuses grants Google would refuse, as invalid_grant, minting nothing', async () => {
    const before = fakeVertexMints(fake);
    const now = Math.floor(Date.now() / 1000);
    const forged = assertion().replace(
      /\.[^.]+$/,
      '.' + Buffer.from('forged').toString('base64url'),
    );
    const refused = [
      forged,
      assertion({}, { alg: 'none' }),
      assertion({ iss: 'someone@else.iam.gserviceaccount.com' }),
      assertion({ aud: 'https://oauth2.googleapis.com/token' }),
      assertion({ scope: 'https://www.googleapis.com/auth/drive' }),
      assertion({ iat: now - 7200, exp: now - 3600 }),
      assertion({ exp: now + 7200 }),
      'not-a-jwt',
    ];
    for (const grant of refused) {
      const { status, body } = await mint(grant);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_grant');
      expect(shapeOf(body)).toEqual(shapeOf(sample('token-refused.json')));
    }
    expect(await mint(assertion(), 'client_credentials')).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(fakeVertexMints(fake)).toBe(before);
  });
});

describe('the fake Vertex AI models', () => {
  it("answers Claude by rawPredict as Anthropic's Messages API, the model from the URL", async () => {
    const { status, text } = await call(
      `${CLAUDE}/claude-haiku-4-5@20251001:rawPredict`,
      claudeBody,
      await token(),
    );
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      type: 'message',
      model: 'claude-haiku-4-5@20251001',
      content: [{ type: 'text', text: 'Hello there from Vertex' }],
    });
    expect(fake.requests.at(-1)?.usage?.completion_tokens).toBe(4);
  });

  it('streams Claude by streamRawPredict as Anthropic events', async () => {
    const { status, text } = await call(
      `${CLAUDE}/claude-haiku-4-5@20251001:streamRawPredict`,
      { ...claudeBody, stream: true },
      await token(),
    );
    expect(status).toBe(200);
    expect(text).toContain('event: message_start');
    expect(text).toContain('event: message_stop');
    expect(fake.requests.at(-1)?.streamEnd).toBe('finished');
  });

  it('answers Gemini by generateContent and streamGenerateContent?alt=sse as Gemini does', async () => {
    const bearer = await token();
    const whole = await call(`${GEMINI}/gemini-2.5-flash:generateContent`, geminiBody, bearer);
    expect(whole.status).toBe(200);
    expect(JSON.parse(whole.text)).toMatchObject({
      candidates: [{ content: { parts: [{ text: 'Hello there from Vertex' }] } }],
    });
    const streamed = await call(
      `${GEMINI}/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      geminiBody,
      bearer,
    );
    expect(streamed.status).toBe(200);
    expect(streamed.text.startsWith('data: {')).toBe(true);
    const plain = await call(
      `${GEMINI}/gemini-2.5-flash:streamGenerateContent`,
      geminiBody,
      bearer,
    );
    expect(plain.status).toBe(400);
  });

  it('refuses a missing, unknown or expired token with 401 UNAUTHENTICATED', async () => {
    const path = `${GEMINI}/gemini-2.5-flash:generateContent`;
    const bearer = await token();
    for (const presented of [undefined, 'ya29.never-minted']) {
      const { status, text } = await call(path, geminiBody, presented);
      expect(status).toBe(401);
      expect(JSON.parse(text)).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    }
    expect((await call(path, geminiBody, bearer)).status).toBe(200);
    expireFakeVertexTokens(fake);
    expect((await call(path, geminiBody, bearer)).status).toBe(401);
  });

  it('refuses another project or region with 404, and Claude bodies Vertex AI would not take', async () => {
    const bearer = await token();
    const elsewhere =
      '/v1/projects/other/locations/global/publishers/google/models/gemini-2.5-flash';
    expect((await call(`${elsewhere}:generateContent`, geminiBody, bearer)).status).toBe(404);
    const claude = `${CLAUDE}/claude-haiku-4-5@20251001`;
    const { anthropic_version: _version, ...unversioned } = claudeBody;
    for (const body of [
      unversioned,
      { ...claudeBody, anthropic_version: '2023-06-01' },
      { ...claudeBody, model: 'claude-haiku-4-5@20251001' },
      { ...claudeBody, stream: true },
    ]) {
      const { status, text } = await call(`${claude}:rawPredict`, body, bearer);
      expect(status).toBe(400);
      expect(JSON.parse(text)).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    }
  });

  it("words a forced failure as Google's front end does", async () => {
    const bearer = await token();
    fake.failNext({ status: 429, message: 'Resource exhausted, please try again later.' });
    const { status, text } = await call(
      `${CLAUDE}/claude-haiku-4-5@20251001:rawPredict`,
      claudeBody,
      bearer,
    );
    expect(status).toBe(429);
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 429, message: 'Resource exhausted, please try again later.' },
    });
  });
});
