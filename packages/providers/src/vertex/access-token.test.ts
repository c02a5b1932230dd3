import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../errors.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { fakeVertexMints, fakeVertexServiceAccount } from '../testing/fake-vertex.js';
import { forgetVertexTokens, vertexAccessToken } from './access-token.js';
import { parseServiceAccount, type ServiceAccount } from './service-account.js';

let fake: FakeUpstream;
let keyFile: string;
let account: ServiceAccount;

beforeAll(async () => {
  fake = await startFakeUpstream();
  keyFile = fakeVertexServiceAccount(fake, { project: 'test-project', region: 'us-east5' });
  account = parseServiceAccount(keyFile);
});
beforeEach(() => {
  fake.reset();
  forgetVertexTokens();
});
afterAll(() => fake.close());

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  return promise.then(
    () => {
      throw new Error('expected the mint to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(UpstreamError);
      return error as UpstreamError;
    },
  );
}

function claimsOf(assertion: string): { header: unknown; claims: Record<string, unknown> } {
  const [header = '', claims = ''] = assertion.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header), claims: json(claims) as Record<string, unknown> };
}

describe('vertexAccessToken', () => {
  it('posts a signed JWT-bearer grant to the key file token_uri and returns the token', async () => {
    const before = Date.now();
    const token = await vertexAccessToken(account);
    expect(token).toMatch(/^ya29\./);
    const [request] = fake.requests;
    expect(request?.url).toBe('/token');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request?.rawBody.toString('utf8'));
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const { header, claims } = claimsOf(form.get('assertion') ?? '');
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toMatchObject({
      iss: 'gateway@test-project.iam.gserviceaccount.com',
      aud: `${fake.url}/token`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    expect(Number(claims.iat) * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    // The grant carries a signature, never the private key.
    expect(request?.rawBody.toString('utf8')).not.toContain('PRIVATE');
  });

  it('reuses a token, mints once for concurrent requests, and renews one near its expiry', async () => {
    const before = fakeVertexMints(fake);
    const tokens = await Promise.all(Array.from({ length: 8 }, () => vertexAccessToken(account)));
    expect(new Set(tokens).size).toBe(1);
    expect(await vertexAccessToken(account)).toBe(tokens[0]);
    expect(fakeVertexMints(fake) - before).toBe(1);
    // 50 minutes on the token is still good; 56 minutes on, it is too close to its hour.
    expect(await vertexAccessToken(account, Date.now() + 50 * 60_000)).toBe(tokens[0]);
    const renewed = await vertexAccessToken(account, Date.now() + 56 * 60_000);
    expect(renewed).not.toBe(tokens[0]);
    expect(fakeVertexMints(fake) - before).toBe(2);
  });

  it('keeps a token per service account: another account, or a rotated key, mints its own', async () => {
    const first = await vertexAccessToken(account);
    const other = await startFakeUpstream();
    try {
      const rotated = fakeVertexServiceAccount(other, {
        project: 'test-project',
        region: 'us-east5',
      });
      const second = await vertexAccessToken(parseServiceAccount(rotated));
      expect(second).toMatch(/^ya29\./);
      expect(fakeVertexMints(other)).toBe(1);
      expect(await vertexAccessToken(account)).toBe(first);
    } finally {
      await other.close();
    }
  });

  it('turns a refused grant into a 401 naming neither the key nor the account', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrong = parseServiceAccount(
      JSON.stringify({ ...JSON.parse(keyFile), private_key: wrongKey }),
    );
    const error = await failureOf(vertexAccessToken(wrong));
    expect(error.status).toBe(401);
    expect(error.message).toContain('invalid_grant: Invalid JWT Signature.');
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(error.message).not.toContain(wrong.clientEmail);
    expect(error.message).not.toContain(wrongKey.split('\n')[1]?.slice(0, 20));
  });

  it('answers a failed mint again for a few seconds, then asks the token service anew', async () => {
    fake.failNext({ status: 400, message: 'refused' });
    const first = await failureOf(vertexAccessToken(account));
    expect(first.status).toBe(401);
    const asked = fake.requests.length;
    // Requests right after the failure fail at once, without asking again.
    expect((await failureOf(vertexAccessToken(account))).status).toBe(401);
    expect(fake.requests).toHaveLength(asked);
    // Ten seconds on, the token service is asked again (and now mints).
    expect(await vertexAccessToken(account, Date.now() + 11_000)).toMatch(/^ya29\./);
    expect(fake.requests).toHaveLength(asked + 1);
    expect(await vertexAccessToken(account)).toMatch(/^ya29\./);
  });

  it('shares one failed mint among concurrent requests', async () => {
    fake.failNext({ status: 401, message: 'unauthorized_client' });
    const failures = await Promise.all(
      Array.from({ length: 4 }, () => failureOf(vertexAccessToken(account))),
    );
    expect(failures.map((error) => error.status)).toEqual([401, 401, 401, 401]);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a failing token service as 502 and one rate limiting as 429, not as refused', async () => {
    fake.failNext({ status: 503, message: 'backend unavailable' });
    expect((await failureOf(vertexAccessToken(account))).status).toBe(502);
    forgetVertexTokens();
    fake.failNext({ status: 429, message: 'slow down' });
    expect((await failureOf(vertexAccessToken(account))).status).toBe(429);
  });

  it('reports a token service that cannot be reached, or breaks off its answer, as 502', async () => {
    const port = await closedPort();
    const unreachable = { ...account, tokenUri: `http://127.0.0.1:${port}/token` };
    const error = await failureOf(vertexAccessToken(unreachable));
    expect(error.status).toBe(502);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(String(port));

    fake.failNext('cut-body');
    const cut = await failureOf(vertexAccessToken(account));
    expect(cut).toMatchObject({ status: 502 });
    expect(cut.message).toMatch(/without an access token/);
  });

  it('refuses a private key that cannot sign as the channel credentials (401)', async () => {
    const broken = {
      ...account,
      privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
    };
    const error = await failureOf(vertexAccessToken(broken));
    expect(error.status).toBe(401);
    expect(error.message).not.toContain('AAAA');
    expect(fake.requests).toHaveLength(0);
  });
});
