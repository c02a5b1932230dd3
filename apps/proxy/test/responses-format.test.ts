import OpenAI from 'openai';
import type { Response, ResponseInputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quotaFor } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogOf, createKey, startGateway, type Gateway } from './harness.js';
import { expectLedgerKept, listedPrice } from './format-checks.js';
import { NATIVE_UPSTREAMS, type NativeUpstream } from './native-upstreams.js';

// Issue 17's Responses format: the official OpenAI SDK's `responses` API calls POST /v1/responses
// on the gateway and gets the same answers whichever upstream serves the model: an OpenAI channel
// (bytes passed through) or any other (converted through the hub, OpenAI chat).

const REPLY = 'Responses clients get this 你好 🌍';
const TOOL_ARGUMENTS = '{"location": "Paris, France"}';
const MODEL = 'gpt-4o-mini';
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather at a place',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
  },
  strict: false,
};

/** Every upstream format, and an OpenAI-compatible server that knows only chat completions. */
const UPSTREAMS: (NativeUpstream & { responsesPath: string })[] = [
  ...NATIVE_UPSTREAMS.map((native) => ({
    ...native,
    // Only OpenAI's own API is known to serve /v1/responses: it gets the client's request.
    responsesPath: native.label === 'OpenAI' ? '/v1/responses' : native.chatPath,
  })),
  {
    label: 'OpenAI-compatible',
    chatPath: '/v1/chat/completions',
    responsesPath: '/v1/chat/completions',
    billsCacheWrites: false,
    channel: (upstream) =>
      Promise.resolve({ type: 'openai-compatible', baseUrl: upstream.url, key: 'sk-compatible' }),
  },
];

interface Setup {
  gateway: Gateway;
  upstream: FakeUpstream;
  openai: OpenAI;
  userId: number;
  tokenId: number;
}

async function setUp(native: NativeUpstream): Promise<Setup> {
  const gateway = await startGateway();
  const upstream = await startFakeUpstream({ reply: REPLY, toolArguments: TOOL_ARGUMENTS });
  await addChannel(gateway, { models: [MODEL], ...(await native.channel(upstream)) });
  const { key, user, token } = await createKey(gateway);
  const openai = new OpenAI({
    apiKey: key,
    baseURL: `${gateway.base}/v1`,
    maxRetries: 0,
    timeout: 20_000,
  });
  return { gateway, upstream, openai, userId: user.id, tokenId: token.id };
}

async function plainResponse({ openai }: Setup) {
  const response = await openai.responses.create({
    model: MODEL,
    instructions: 'Be brief.',
    input: 'Say something',
  });
  return {
    object: response.object,
    idLooksLikeOpenAI: response.id.startsWith('resp_'),
    status: response.status,
    text: response.output_text,
    hasUsage: (response.usage?.input_tokens ?? 0) > 0 && (response.usage?.output_tokens ?? 0) > 0,
  };
}

async function streamedResponse({ openai }: Setup) {
  const stream = openai.responses.stream({ model: MODEL, input: 'Stream something' });
  let text = '';
  const events: string[] = [];
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (events.at(-1) !== event.type) events.push(event.type);
  }
  const final = await stream.finalResponse();
  return {
    text,
    finalText: final.output_text,
    status: final.status,
    outputTokens: (final.usage?.output_tokens ?? 0) > 0,
    first: events[0],
    last: events.at(-1),
  };
}

const askWeather: ResponseInputItem = { role: 'user', content: 'What is the weather in Paris?' };

async function toolRoundTrip({ openai }: Setup, stream: boolean) {
  const request = { model: MODEL, input: [askWeather], tools: [weatherTool] };
  const answer: Response = stream
    ? await openai.responses.stream(request).finalResponse()
    : await openai.responses.create(request);
  const call = answer.output.find((item) => item.type === 'function_call');
  if (call?.type !== 'function_call') throw new Error('no function_call item in the answer');
  const followUp = await openai.responses.create({
    model: MODEL,
    tools: [weatherTool],
    input: [
      askWeather,
      call,
      { type: 'function_call_output', call_id: call.call_id, output: '{"celsius": 21}' },
    ],
  });
  return {
    name: call.name,
    input: JSON.parse(call.arguments) as unknown,
    hasCallId: call.call_id.length > 0,
    followUp: followUp.output_text,
  };
}

async function imageInput({ openai }: Setup) {
  const response = await openai.responses.create({
    model: MODEL,
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this picture?' },
          {
            type: 'input_image',
            image_url: `data:image/png;base64,${PIXEL_PNG}`,
            detail: 'auto',
          },
        ],
      },
    ],
  });
  return response.output_text;
}

async function midStreamError({ openai, upstream }: Setup) {
  upstream.failStreamAfter(5, {
    status: 529,
    message: 'Overloaded',
    type: 'overloaded_error',
    code: 'overloaded',
  });
  let text = '';
  let raised: unknown;
  try {
    const stream = openai.responses.stream({ model: MODEL, input: 'Break off' });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    await stream.finalResponse();
  } catch (error) {
    raised = error;
  }
  upstream.reset();
  return {
    raised: raised instanceof Error,
    partOfTheReply: text.length > 0 && REPLY.startsWith(text),
  };
}

describe.each(UPSTREAMS)('a Responses client on a $label channel', (native) => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp(native);
  });
  beforeEach(() => setup.upstream.reset());
  afterAll(async () => {
    await setup?.gateway.close();
    await setup?.upstream.close();
  });

  it('gets text, streamed text, tool calls and images answered as Responses answers them', async () => {
    const view = {
      plain: await plainResponse(setup),
      streamed: await streamedResponse(setup),
      tool: await toolRoundTrip(setup, false),
      toolStreamed: await toolRoundTrip(setup, true),
      image: await imageInput(setup),
      midStreamError: await midStreamError(setup),
    };
    const toolView = {
      name: 'get_weather',
      input: { location: 'Paris, France' },
      hasCallId: true,
      followUp: REPLY,
    };
    expect(view).toEqual({
      plain: {
        object: 'response',
        idLooksLikeOpenAI: true,
        status: 'completed',
        text: REPLY,
        hasUsage: true,
      },
      streamed: {
        text: REPLY,
        finalText: REPLY,
        status: 'completed',
        outputTokens: true,
        first: 'response.created',
        last: 'response.completed',
      },
      tool: toolView,
      toolStreamed: toolView,
      image: REPLY,
      midStreamError: { raised: true, partOfTheReply: true },
    });
    // Each provider heard its own wire: OpenAI the client's own request, the others converted.
    const paths = setup.upstream.requests
      .map((request) => request.url)
      .filter((path) => path !== '/token');
    expect(paths.filter((path) => !path.startsWith(native.responsesPath))).toEqual([]);
  });

  it('bills exactly what the upstream reported, and logs the client format', async () => {
    const { gateway, upstream, openai } = setup;
    const price = await listedPrice(gateway, MODEL);
    for (const stream of [false, true]) {
      upstream.reset();
      const request = { model: MODEL, max_output_tokens: 100, input: 'Bill me' };
      let requestId: string | null;
      if (stream) {
        const streamed = await openai.responses.create({ ...request, stream: true }).withResponse();
        for await (const _event of streamed.data) void _event;
        requestId = streamed.response.headers.get('x-request-id');
      } else {
        const whole = await openai.responses.create(request).withResponse();
        requestId = whole.response.headers.get('x-request-id');
      }
      const log = await consumeLogOf(gateway, requestId);
      const reported = upstream.requests[0]?.usage;
      expect(reported?.prompt_tokens).toBeGreaterThan(0);
      expect(log).toMatchObject({
        model: MODEL,
        promptTokens: reported?.prompt_tokens,
        completionTokens: reported?.completion_tokens,
        isStream: stream,
      });
      expect(log.quota).toBe(
        quotaFor({ promptTokens: log.promptTokens, completionTokens: log.completionTokens }, price),
      );
      expect(JSON.parse(log.other ?? '{}')).toMatchObject({ clientFormat: 'responses' });
    }
  });

  it('refuses to continue a stored response unless the upstream keeps them', async () => {
    const { openai } = setup;
    const continued = openai.responses.create({
      model: MODEL,
      previous_response_id: 'resp_from_earlier',
      input: 'And then?',
    });
    if (native.label === 'OpenAI') {
      // OpenAI's API keeps responses: the request reaches it as the client sent it.
      await continued.catch(() => undefined);
      const heard = setup.upstream.requests.find((r) => r.url === '/v1/responses');
      expect(heard?.body).toMatchObject({ previous_response_id: 'resp_from_earlier' });
    } else {
      await expect(continued).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('previous_response_id') as unknown,
      });
      expect(setup.upstream.requests).toEqual([]);
    }
  });

  // Last: it stops the gateway so that every bill is written.
  it('keeps the ledger: the logs add up to what the key and its user used', async () => {
    await expectLedgerKept(setup.gateway, setup, 8);
  });
});

describe('a Responses client continuing a stored response', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let openai: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    // More channels that keep no responses than RetryTimes (2), all preferred to OpenAI's.
    for (const native of NATIVE_UPSTREAMS.filter((n) => n.label !== 'OpenAI').slice(0, 3)) {
      await addChannel(gateway, {
        models: [MODEL],
        priority: 10,
        ...(await native.channel(upstream)),
      });
    }
    await addChannel(gateway, { models: [MODEL], type: 'openai', baseUrl: upstream.url });
    const { key } = await createKey(gateway);
    openai = new OpenAI({ apiKey: key, baseURL: `${gateway.base}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('passes over every channel that keeps none for the OpenAI one, without calling them', async () => {
    const first = await openai.responses.create({ model: MODEL, input: 'Remember this' });
    upstream.reset();
    // The first answer came from a preferred channel, converted: OpenAI never stored it, and
    // says so in its own words.
    await expect(
      openai.responses.create({ model: MODEL, previous_response_id: first.id, input: 'And?' }),
    ).rejects.toMatchObject({ status: 400 });
    expect(
      upstream.requests.map((r) => [
        r.url,
        (r.body as Record<string, unknown>).previous_response_id,
      ]),
    ).toEqual([['/v1/responses', first.id]]);
  });
});

describe('a stored response continued through several OpenAI channels', () => {
  let gateway: Gateway;
  const upstreams: FakeUpstream[] = [];
  let openai: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway();
    // Two OpenAI accounts of equal standing: each keeps only the responses it made.
    for (let i = 0; i < 2; i++) {
      const upstream = await startFakeUpstream({ reply: REPLY });
      upstreams.push(upstream);
      await addChannel(gateway, { models: [MODEL], type: 'openai', baseUrl: upstream.url });
    }
    const { key } = await createKey(gateway);
    openai = new OpenAI({ apiKey: key, baseURL: `${gateway.base}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    for (const upstream of upstreams) await upstream.close();
  });

  const heardBy = (id: string) =>
    upstreams.filter((upstream) =>
      upstream.requests.some(
        (r) => (r.body as Record<string, unknown>).previous_response_id === id,
      ),
    );

  it.each([false, true])(
    'sends every follow-up to the channel that stored the response (stream: %s)',
    async (stream) => {
      // Each fake numbers its responses from 1: the other case's requests would match these ids.
      for (const upstream of upstreams) upstream.reset();
      const first = stream
        ? await openai.responses.stream({ model: MODEL, input: 'Remember this' }).finalResponse()
        : await openai.responses.create({ model: MODEL, input: 'Remember this' });
      // A chain of follow-ups, each continuing the one before: none may land on the other
      // account, which would answer 400 previous_response_not_found.
      let previous = first.id;
      for (let turn = 0; turn < 6; turn++) {
        const next = await openai.responses.create({
          model: MODEL,
          previous_response_id: previous,
          input: `And then ${turn}?`,
        });
        expect(next.output_text).toBe(REPLY);
        expect(heardBy(previous)).toHaveLength(1);
        previous = next.id;
      }
    },
  );
});

describe('Responses clients meet errors in OpenAI’s shape', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { models: [MODEL], baseUrl: upstream.url });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const create = (apiKey: string, model = MODEL) =>
    new OpenAI({ apiKey, baseURL: `${gateway.base}/v1`, maxRetries: 0 }).responses.create({
      model,
      input: 'hi',
    });

  it('a bad key, an exhausted quota, an unknown model and a malformed body', async () => {
    await expect(create('sk-wrong')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_api_key',
    });
    const spent = await createKey(gateway, { remainQuota: 0, unlimitedQuota: false });
    await expect(create(spent.key)).rejects.toMatchObject({ status: 401, code: 'token_exhausted' });
    const { key } = await createKey(gateway);
    // Priced, but no channel serves it.
    await expect(create(key, 'gpt-4o')).rejects.toMatchObject({
      status: 503,
      code: 'model_not_available',
    });
    const malformed = await fetch(`${gateway.base}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 42 }),
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'invalid_request_error', message: expect.stringContaining('input') },
    });
    expect(upstream.requests).toEqual([]);
  });
});
