import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from '../adapter.js';
import { adapterFor } from '../adapter-for.js';
import type { UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError, UpstreamError } from '../errors.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { expireFakeVertexTokens, fakeVertexServiceAccount } from '../testing/fake-vertex.js';
import { forgetVertexTokens } from './access-token.js';
import { vertexAdapter } from './vertex-adapter.js';

const REPLY = 'Hello from the fake Vertex AI.';

let fake: FakeUpstream;
let channel: UpstreamChannel;

beforeAll(async () => {
  fake = await startFakeUpstream({ reply: REPLY });
  channel = {
    type: 'vertex-ai',
    key: fakeVertexServiceAccount(fake, { project: 'test-project', region: 'us-east5' }),
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

/** The last call to a model (the token service's requests come before it). */
function modelCall() {
  const call = fake.requests.at(-1);
  expect(call?.url).toContain('/publishers/');
  return call!;
}

interface Completion {
  choices: { message: { content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number };
}

function answerOf(request: ClientRequest, upstream: UpstreamRequest, bytes: Buffer): Completion {
  const reader = upstream.reader ?? vertexAdapter;
  return JSON.parse(reader.clientAnswer(bytes, request).toString()) as Completion;
}

/** A stream fed to the reader five bytes at a time, as a slow network would deliver it. */
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

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello' },
];

describe('the Vertex AI adapter', () => {
  it('is the adapter of vertex-ai channels', () => {
    expect(adapterFor('vertex-ai')).toBe(vertexAdapter);
  });

  it('calls Claude by rawPredict: the model in the URL, anthropic_version in the body, a minted token', async () => {
    const request = client('claude', { messages, max_tokens: 40, temperature: 0.2 });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url).toBe(
      `${fake.url}/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`,
    );
    expect(upstream.injectedUsage).toBe(false);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const call = modelCall();
    expect(call.headers.authorization).toMatch(/^Bearer ya29\.fake-vertex-token-\d+$/);
    expect(call.headers['x-api-key']).toBeUndefined();
    expect(call.headers['anthropic-version']).toBeUndefined();
    expect(call.body).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
      max_tokens: 40,
      temperature: 0.2,
    });
    const answer = answerOf(request, upstream, bytes);
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    expect(answer.usage.completion_tokens).toBe(call.usage?.completion_tokens);
  });

  it('streams Claude by streamRawPredict, read as Anthropic events, usage at the end', async () => {
    const request = client('claude', { messages, max_tokens: 40, stream: true });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url.endsWith('/claude-sonnet-4-5@20250929:streamRawPredict')).toBe(true);
    expect(upstream.injectedUsage).toBe(true);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const call = modelCall();
    expect(call.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', stream: true });
    expect(call.body).not.toHaveProperty('model');
    const streamed = streamedText(request, upstream, bytes);
    expect(streamed).toMatchObject({ content: REPLY, done: true });
    expect(streamed.usage?.completionTokens).toBe(call.usage?.completion_tokens);
    expect(streamed.usage?.promptTokens).toBe(call.usage?.prompt_tokens);
  });

  it("calls Gemini by generateContent with Gemini's body and reads its answer", async () => {
    const request = client('gemini', { messages, max_tokens: 40 });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url).toBe(
      `${fake.url}/v1/projects/test-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent`,
    );
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const call = modelCall();
    expect(call.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(call.headers['x-goog-api-key']).toBeUndefined();
    expect(call.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
      generationConfig: { maxOutputTokens: 40 },
    });
    const answer = answerOf(request, upstream, bytes);
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    expect(answer.usage.prompt_tokens).toBe(call.usage?.prompt_tokens);
  });

  it('streams Gemini by streamGenerateContent?alt=sse', async () => {
    const request = client('gemini', { messages, stream: true });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    expect(upstream.url.endsWith('/gemini-2.5-flash:streamGenerateContent?alt=sse')).toBe(true);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const streamed = streamedText(request, upstream, bytes);
    expect(streamed).toMatchObject({ content: REPLY, done: true });
    expect(streamed.usage?.completionTokens).toBe(modelCall().usage?.completion_tokens);
  });

  it('mints one token for many requests to the channel', async () => {
    await Promise.all(
      ['claude', 'gemini', 'claude'].map((model) =>
        vertexAdapter.buildRequest(channel, client(model, { messages })),
      ),
    );
    expect(fake.requests.filter((request) => request.url === '/token')).toHaveLength(1);
  });

  it("reads Vertex AI's own refusals in Google's shape for Claude, without the project", async () => {
    const request = client('claude', { messages });
    const upstream = await vertexAdapter.buildRequest(channel, request);
    // Google takes the token back: Vertex AI's front end refuses it before Claude sees it.
    expireFakeVertexTokens(fake);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(401);
    const failure = (upstream.reader ?? vertexAdapter).clientError(
      channel,
      status,
      bytes.toString(),
    );
    expect(failure.status).toBe(401);
    expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'invalid_api_key' } });

    const elsewhere = { ...channel, config: { project: 'test-project', region: 'europe-west1' } };
    forgetVertexTokens();
    const lost = await vertexAdapter.buildRequest(elsewhere, request);
    const notFound = await send(lost);
    expect(notFound.status).toBe(404);
    const read = (lost.reader ?? vertexAdapter).clientError(
      elsewhere,
      notFound.status,
      notFound.bytes.toString(),
    );
    expect(read.status).toBe(404);
    expect(read.body).not.toContain('test-project');
  });

  it('refuses a key that is not a service account key file as the channel credentials (401)', async () => {
    const broken = { ...channel, key: '{"type":"authorized_user","refresh_token":"1//secret"}' };
    const refused = vertexAdapter.buildRequest(broken, client('claude', { messages }));
    await expect(refused).rejects.toBeInstanceOf(UpstreamError);
    await expect(refused).rejects.toMatchObject({ status: 401 });
    await expect(refused).rejects.not.toThrow(/secret/);
  });

  it('passes channels without project or region, and endpoints other than chat, to the next', async () => {
    for (const config of [{ project: 'test-project' }, { region: 'us-east5' }]) {
      const unset = { ...channel, config };
      await expect(
        vertexAdapter.buildRequest(unset, client('claude', { messages })),
      ).rejects.toThrow(/project and region/);
    }
    const hostile = { ...channel, config: { project: 'p', region: 'x.evil.example/' } };
    await expect(
      vertexAdapter.buildRequest(hostile, client('claude', { messages })),
    ).rejects.toThrow(/project and region/);
    await expect(
      vertexAdapter.buildRequest(channel, client('gemini', { input: 'x' }, '/v1/embeddings')),
    ).rejects.toBeInstanceOf(RequestNotSupportedError);
    expect(fake.requests).toHaveLength(0);
  });
});
