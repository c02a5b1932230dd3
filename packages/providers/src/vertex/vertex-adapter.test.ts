import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from '../adapter.js';
import { adapterFor } from '../adapter-for.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import type { UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError, UpstreamError } from '../errors.js';
import { geminiReader } from '../gemini/gemini-reader.js';
import { configureFakeVertex, fakeVertexMints } from '../testing/fake-vertex.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { forgetVertexTokens, vertexAccessToken } from './access-token.js';
import { parseServiceAccount, ServiceAccountError } from './service-account.js';
import { vertexAdapter } from './vertex-adapter.js';
import { vertexUrl } from './vertex-url.js';

const REPLY = 'Hello from the fake Vertex AI.';
const CLIENT_EMAIL = 'gateway@test-project.iam.gserviceaccount.com';

// A throwaway key pair, made for this run: no private key is kept in the repository.
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let fake: FakeUpstream;
let channel: UpstreamChannel;

function keyFile(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'test-project',
    private_key_id: 'abc123',
    private_key: privateKey,
    client_email: CLIENT_EMAIL,
    token_uri: `${fake.url}/token`,
    ...overrides,
  });
}

beforeAll(async () => {
  fake = await startFakeUpstream({ reply: REPLY });
  configureFakeVertex(fake, {
    clientEmail: CLIENT_EMAIL,
    publicKey,
    project: 'test-project',
    region: 'us-east5',
  });
  channel = {
    type: 'vertex-ai',
    key: keyFile(),
    baseUrl: fake.url,
    config: { project: 'test-project', region: 'us-east5' },
    modelMapping: { claude: 'claude-sonnet-4-5@20250929', gemini: 'gemini-2.5-flash' },
  };
});
beforeEach(() => {
  fake.reset();
  forgetVertexTokens();
});
afterAll(() => fake.close());

function client(
  model: string,
  json: Record<string, unknown>,
  path = '/v1/chat/completions',
): ClientRequest {
  return {
    path,
    model,
    raw: Buffer.from(JSON.stringify(json)),
    json: { model, ...json },
    contentType: 'application/json',
    stream: json.stream === true,
    clientWantsUsage: false,
  };
}

async function send(upstream: UpstreamRequest) {
  const res = await fetch(upstream.url, {
    method: 'POST',
    headers: upstream.headers,
    body: upstream.body,
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

const messages = [{ role: 'user', content: 'Say hello' }];

function streamedText(request: ClientRequest, upstream: UpstreamRequest, bytes: Buffer) {
  const reader = upstream.reader ?? vertexAdapter;
  const tap = reader.streamTap({ stripUsageChunk: true, collectText: true, request });
  let text = '';
  for (let at = 0; at < bytes.length; at += 5) text += tap.push(bytes.subarray(at, at + 5));
  text += tap.end().toString();
  const content = text
    .split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] })
    .map((chunk) => chunk.choices[0]?.delta.content ?? '')
    .join('');
  return { content, done: text.endsWith('data: [DONE]\n\n'), usage: tap.usage };
}

describe('the Vertex AI adapter', () => {
  it('is the adapter of vertex-ai channels', () => {
    expect(adapterFor('vertex-ai')).toBe(vertexAdapter);
  });

  it('calls Claude by rawPredict with a minted token and reads the answer as Anthropic', async () => {
    const request = client('claude', { messages, max_tokens: 40 });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url).toBe(
      `${fake.url}/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
    );
    expect(upstream.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(upstream.reader).toBe(anthropicReader);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    expect(fake.requests.at(-1)?.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
      max_tokens: 40,
    });
    const answer = JSON.parse(anthropicReader.clientAnswer(bytes, request).toString()) as {
      choices: { message: { content: string } }[];
    };
    expect(answer.choices[0]?.message.content).toBe(REPLY);
  });

  it('streams Claude by streamRawPredict', async () => {
    const request = client('claude', { messages, stream: true });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url.endsWith(':streamRawPredict')).toBe(true);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const streamed = streamedText(request, upstream, bytes);
    expect(streamed).toMatchObject({ content: REPLY, done: true });
    expect(streamed.usage?.completionTokens).toBe(fake.requests.at(-1)?.usage?.completion_tokens);
  });

  it('calls Gemini by generateContent and streamGenerateContent, read as Gemini', async () => {
    const whole = client('gemini', { messages });
    const upstream = await vertexAdapter.buildRequest(channel, whole);
    expect(upstream.url).toBe(
      `${fake.url}/v1/projects/test-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent`,
    );
    expect(upstream.reader).toBe(geminiReader);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const answer = JSON.parse(geminiReader.clientAnswer(bytes, whole).toString()) as {
      choices: { message: { content: string } }[];
    };
    expect(answer.choices[0]?.message.content).toBe(REPLY);

    const streaming = client('gemini', { messages, stream: true });
    const streamUpstream = await vertexAdapter.buildRequest(channel, streaming);
    expect(streamUpstream.url.endsWith(':streamGenerateContent?alt=sse')).toBe(true);
    const streamed = await send(streamUpstream);
    expect(streamedText(streaming, streamUpstream, streamed.bytes)).toMatchObject({
      content: REPLY,
      done: true,
    });
  });

  it('mints one token for many requests, concurrent ones included, until it nears expiry', async () => {
    const account = parseServiceAccount(keyFile());
    const before = fakeVertexMints(fake);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => vertexAccessToken(account)));
    expect(new Set(tokens).size).toBe(1);
    expect(fakeVertexMints(fake) - before).toBe(1);
    await vertexAccessToken(account);
    expect(fakeVertexMints(fake) - before).toBe(1);
    // 56 minutes on, the hour-long token is renewed before a request can outlive it.
    const renewed = await vertexAccessToken(account, Date.now() + 56 * 60_000);
    expect(renewed).not.toBe(tokens[0]);
    expect(fakeVertexMints(fake) - before).toBe(2);
  });

  it('turns a refused service account into a 401 that names no secret, and does not keep it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const wrongKey = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const account = parseServiceAccount(keyFile({ private_key: wrongKey }));
    const refused = vertexAccessToken(account);
    await expect(refused).rejects.toBeInstanceOf(UpstreamError);
    await expect(refused).rejects.toMatchObject({ status: 401 });
    const error = (await refused.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('invalid_grant');
    expect(error.message).not.toContain('PRIVATE KEY');
    await expect(vertexAccessToken(account)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a key that is not a service account key file as a 401, naming what is missing', async () => {
    expect(() => parseServiceAccount('{"type":"authorized_user"}')).toThrow(ServiceAccountError);
    expect(() => parseServiceAccount(keyFile({ client_email: undefined }))).toThrow(/client_email/);
    const broken = { ...channel, key: 'not json' };
    await expect(
      vertexAdapter.buildRequest(broken, client('claude', { messages })),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it('passes channels without project or region, and endpoints other than chat, to the next', async () => {
    const unset = { ...channel, config: { project: 'test-project' } };
    await expect(vertexAdapter.buildRequest(unset, client('claude', { messages }))).rejects.toThrow(
      /region/,
    );
    await expect(
      vertexAdapter.buildRequest(channel, client('gemini', { input: 'x' }, '/v1/embeddings')),
    ).rejects.toBeInstanceOf(RequestNotSupportedError);
  });

  it('builds the regional, global and custom origins', () => {
    expect(vertexUrl('', 'p', 'europe-west1', 'gemini-2.5-pro', 'generateContent')).toBe(
      'https://europe-west1-aiplatform.googleapis.com/v1/projects/p/locations/europe-west1/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    expect(vertexUrl('', 'p', 'global', 'claude-opus-4-5@20251101', 'rawPredict')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/anthropic/models/claude-opus-4-5@20251101:rawPredict',
    );
    expect(
      vertexUrl('https://proxy.example/v1/', 'p', 'global', 'gemini-2.5-pro', 'generateContent'),
    ).toBe(
      'https://proxy.example/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent',
    );
  });
});
