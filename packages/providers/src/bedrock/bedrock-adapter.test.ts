import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from '../adapter.js';
import { adapterFor } from '../adapter-for.js';
import type { UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError, UpstreamError } from '../errors.js';
import { configureFakeBedrock } from '../testing/fake-bedrock.js';
import { startFakeUpstream, type FakeUpstream } from '../testing/fake-upstream.js';
import { bedrockAdapter } from './bedrock-adapter.js';

const ACCOUNT = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'eu-west-1',
};
const REPLY = 'Hello from the fake Bedrock upstream.';
const MODEL_ID = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

let fake: FakeUpstream;
let channel: UpstreamChannel;
beforeAll(async () => {
  fake = await startFakeUpstream({ reply: REPLY, toolArguments: '{"city": "Paris"}' });
  configureFakeBedrock(fake, ACCOUNT);
  channel = {
    type: 'aws-bedrock',
    key: `${ACCOUNT.accessKeyId}|${ACCOUNT.secretAccessKey}`,
    baseUrl: fake.url,
    config: { region: ACCOUNT.region },
    modelMapping: { 'gpt-4o': MODEL_ID },
  };
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

function client(json: Record<string, unknown>, path = '/v1/chat/completions'): ClientRequest {
  return {
    path,
    model: 'gpt-4o',
    raw: Buffer.from(JSON.stringify(json)),
    json: { model: 'gpt-4o', ...json },
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

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello' },
];

describe('the Bedrock adapter', () => {
  it('is the adapter of aws-bedrock channels', () => {
    expect(adapterFor('aws-bedrock')).toBe(bedrockAdapter);
  });

  it('sends a signed Messages body the fake accepts, and reads the answer as OpenAI', async () => {
    const request = client({ messages, max_tokens: 50 });
    const upstream = await bedrockAdapter.buildRequest(channel, request);
    expect(upstream.url).toBe(`${fake.url}/model/${encodeURIComponent(MODEL_ID)}/invoke`);
    expect(upstream.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    expect(fake.requests[0]?.body).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
      max_tokens: 50,
    });
    const answer = JSON.parse(bedrockAdapter.clientAnswer(bytes, request).toString()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    expect(answer.choices[0]).toMatchObject({
      message: { content: REPLY },
      finish_reason: 'stop',
    });
    const reported = fake.requests[0]?.usage;
    expect(bedrockAdapter.usageOf(bytes.toString())).toEqual({
      promptTokens: reported?.prompt_tokens,
      completionTokens: reported?.completion_tokens,
    });
  });

  it('streams: the event-stream frames become OpenAI chunks, the usage read at the end', async () => {
    const request = client({ messages, stream: true });
    const upstream = await bedrockAdapter.buildRequest(channel, request);
    expect(upstream.url.endsWith('/invoke-with-response-stream')).toBe(true);
    expect(upstream.injectedUsage).toBe(true);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const tap = bedrockAdapter.streamTap({ stripUsageChunk: true, collectText: true, request });
    let text = '';
    for (let at = 0; at < bytes.length; at += 7) text += tap.push(bytes.subarray(at, at + 7));
    text += tap.end().toString();
    const chunks = text
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(REPLY);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(tap.failed).toBe(false);
    expect(tap.usage?.completionTokens).toBe(fake.requests[0]?.usage?.completion_tokens);
  });

  it('turns a refused signature into 401 invalid_api_key, which disables the channel', async () => {
    const wrong = { ...channel, key: `${ACCOUNT.accessKeyId}|not-the-secret` };
    const { status, bytes } = await send(
      await bedrockAdapter.buildRequest(wrong, client({ messages })),
    );
    expect(status).toBe(403);
    const failure = bedrockAdapter.clientError(wrong, status, bytes.toString());
    expect(failure.status).toBe(401);
    expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'invalid_api_key' } });
    expect(failure.body).not.toContain('not-the-secret');
  });

  it('refuses a key that is not accessKeyId|secretAccessKey as AWS would, naming no secret', async () => {
    const broken = { ...channel, key: 'just-one-part' };
    const building = bedrockAdapter.buildRequest(broken, client({ messages }));
    await expect(building).rejects.toBeInstanceOf(UpstreamError);
    await expect(building).rejects.toMatchObject({ status: 401 });
  });

  it('passes a channel without a region to the next channel, and endpoints Bedrock lacks', async () => {
    const noRegion = { ...channel, config: {} };
    await expect(bedrockAdapter.buildRequest(noRegion, client({ messages }))).rejects.toThrow(
      /region/,
    );
    await expect(
      bedrockAdapter.buildRequest(channel, client({ input: 'x' }, '/v1/embeddings')),
    ).rejects.toBeInstanceOf(RequestNotSupportedError);
  });

  it('maps throttling to 429 so that another channel is tried', async () => {
    fake.failNext({ status: 429, message: 'Too many requests, please wait.' });
    const { status, bytes } = await send(
      await bedrockAdapter.buildRequest(channel, client({ messages })),
    );
    expect(status).toBe(429);
    const failure = bedrockAdapter.clientError(channel, status, bytes.toString());
    expect(failure.status).toBe(429);
    expect(JSON.parse(failure.body)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });
});
