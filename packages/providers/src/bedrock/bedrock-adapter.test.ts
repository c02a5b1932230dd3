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

/** The client's SSE text for a streamed upstream answer, pushed through the tap in 7-byte pieces. */
function tapped(bytes: Buffer, request: ClientRequest, stripUsageChunk = true) {
  const tap = bedrockAdapter.streamTap({ stripUsageChunk, collectText: true, request });
  let text = '';
  for (let at = 0; at < bytes.length; at += 7) text += tap.push(bytes.subarray(at, at + 7));
  text += tap.end().toString();
  const events = text
    .split('\n\n')
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice(6)) as StreamEvent);
  return { tap, text, events };
}

interface StreamEvent {
  choices?: {
    delta: { content?: string; tool_calls?: { function: { name?: string; arguments: string } }[] };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  error?: { message: string; code: string };
}

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

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
    const { tap, text, events } = tapped(bytes, request);
    expect(events.map((event) => event.choices?.[0]?.delta.content ?? '').join('')).toBe(REPLY);
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

  it('streams the exact request Bedrock takes: no stream key, the event-stream accept header', async () => {
    const request = {
      ...client({ messages, stream: true, max_tokens: 3 }),
      clientWantsUsage: true,
    };
    const upstream = await bedrockAdapter.buildRequest(channel, request);
    expect(upstream.injectedUsage).toBe(false);
    const { status, bytes } = await send(upstream);
    expect(status).toBe(200);
    const sent = fake.requests[0]!;
    expect(sent.headers).toMatchObject({
      accept: 'application/vnd.amazon.eventstream',
      'content-type': 'application/json',
      'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
    });
    expect(sent.body).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
      max_tokens: 3,
    });
    // Cut to max_tokens: a length finish, and the usage chunk the client asked for.
    const { events, tap } = tapped(bytes, request, false);
    const finish = events.find((event) => event.choices?.[0]?.finish_reason);
    expect(finish?.choices?.[0]?.finish_reason).toBe('length');
    const usage = events.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage).toMatchObject({
      prompt_tokens: sent.usage?.prompt_tokens,
      completion_tokens: 3,
    });
    expect(tap.usage).toEqual({ promptTokens: sent.usage?.prompt_tokens, completionTokens: 3 });
  });

  it('offers tools as Anthropic tools and reads the tool call back, whole and streamed', async () => {
    const asked = { messages, tools: [weather], tool_choice: 'required' };
    const whole = client(asked);
    const { bytes } = await send(await bedrockAdapter.buildRequest(channel, whole));
    expect(fake.requests[0]?.body).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city',
          input_schema: weather.function.parameters,
        },
      ],
      tool_choice: { type: 'any' },
    });
    const answer = JSON.parse(bedrockAdapter.clientAnswer(bytes, whole).toString()) as {
      choices: {
        message: { tool_calls: { function: { name: string; arguments: string } }[] };
        finish_reason: string;
      }[];
    };
    expect(answer.choices[0]?.finish_reason).toBe('tool_calls');
    const call = answer.choices[0]?.message.tool_calls[0]?.function;
    expect(call?.name).toBe('get_weather');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ city: 'Paris' });

    const streamed = client({ ...asked, stream: true });
    const { bytes: streamBytes } = await send(await bedrockAdapter.buildRequest(channel, streamed));
    const { events } = tapped(streamBytes, streamed);
    const calls = events.flatMap((event) => event.choices?.[0]?.delta.tool_calls ?? []);
    expect(calls[0]?.function.name).toBe('get_weather');
    const args = calls.map((piece) => piece.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(events.at(-1)?.choices?.[0]?.finish_reason).toBe('tool_calls');
  });

  it('ends a stream whose model fails midway with an OpenAI error event after the text so far', async () => {
    fake.failStreamAfter(4, {
      status: 429,
      code: 'throttlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    const request = client({ messages, stream: true });
    const { status, bytes } = await send(await bedrockAdapter.buildRequest(channel, request));
    expect(status).toBe(200);
    const { tap, text, events } = tapped(bytes, request);
    // message_start, content_block_start, then two words before the exception frame.
    const words = events.map((event) => event.choices?.[0]?.delta.content ?? '').join('');
    expect(words).toBe(REPLY.split(' ').slice(0, 2).join(' '));
    expect(events.at(-1)?.error).toMatchObject({
      code: 'rate_limit_exceeded',
      message: expect.stringContaining('Too many tokens'),
    });
    expect(text).not.toContain('[DONE]');
    expect(tap.failed).toBe(true);
    expect(tap.completionText).toBe(words);
  });

  it('signs with the session token of a three-part key, which the fake requires', async () => {
    const tokenFake = await startFakeUpstream({ reply: REPLY });
    try {
      const sessionToken = 'FwoGZXIvYXdzEJr//session+token=';
      configureFakeBedrock(tokenFake, { ...ACCOUNT, sessionToken });
      const temporary = {
        ...channel,
        baseUrl: tokenFake.url,
        key: `${ACCOUNT.accessKeyId}|${ACCOUNT.secretAccessKey}|${sessionToken}`,
      };
      const upstream = await bedrockAdapter.buildRequest(temporary, client({ messages }));
      expect(upstream.headers['x-amz-security-token']).toBe(sessionToken);
      expect(upstream.headers.authorization).toContain('x-amz-security-token');
      expect((await send(upstream)).status).toBe(200);
      const withoutToken = {
        ...temporary,
        key: `${ACCOUNT.accessKeyId}|${ACCOUNT.secretAccessKey}`,
      };
      const refused = await send(
        await bedrockAdapter.buildRequest(withoutToken, client({ messages })),
      );
      expect(refused.status).toBe(403);
      expect(bedrockAdapter.clientError(withoutToken, 403, refused.bytes.toString()).status).toBe(
        401,
      );
    } finally {
      await tokenFake.close();
    }
  });

  it('sends an unmapped model id as it is, an inference profile in the path', async () => {
    const profile = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
    const request = { ...client({ messages }), model: profile };
    const { status } = await send(await bedrockAdapter.buildRequest(channel, request));
    expect(status).toBe(200);
    expect(fake.requests[0]?.url).toBe(`/model/${encodeURIComponent(profile)}/invoke`);
  });
});
