import { ApiError, GoogleGenAI, Type, type Content, type FunctionDeclaration } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quotaFor } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogOf, createKey, startGateway, type Gateway } from './harness.js';
import { expectLedgerKept, listedPrice } from './format-checks.js';
import { NATIVE_UPSTREAMS, type NativeUpstream } from './native-upstreams.js';

// Issue 17's Gemini format: the Google GenAI SDK calls /v1beta/models/{model}:generateContent and
// :streamGenerateContent on the gateway and gets the same answers whichever upstream serves the
// model: a Gemini channel (bytes passed through) or any other (converted through the hub).

const REPLY = 'Gemini clients get this 你好 🌍';
const TOOL_ARGUMENTS = '{"location": "Paris, France"}';
const MODEL = 'gpt-4o-mini';
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const weatherTool: FunctionDeclaration = {
  name: 'get_weather',
  description: 'The weather at a place',
  parameters: {
    type: Type.OBJECT,
    properties: { location: { type: Type.STRING } },
    required: ['location'],
  },
};

interface Setup {
  gateway: Gateway;
  upstream: FakeUpstream;
  key: string;
  gemini: GoogleGenAI;
  userId: number;
  tokenId: number;
}

function geminiClient(gateway: Gateway, apiKey: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey, httpOptions: { baseUrl: gateway.base, timeout: 20_000 } });
}

async function setUp(native: NativeUpstream): Promise<Setup> {
  const gateway = await startGateway();
  const upstream = await startFakeUpstream({ reply: REPLY, toolArguments: TOOL_ARGUMENTS });
  await addChannel(gateway, { models: [MODEL], ...(await native.channel(upstream)) });
  const { key, user, token } = await createKey(gateway);
  return {
    gateway,
    upstream,
    key,
    gemini: geminiClient(gateway, key),
    userId: user.id,
    tokenId: token.id,
  };
}

async function plainAnswer({ gemini }: Setup) {
  const response = await gemini.models.generateContent({
    model: MODEL,
    contents: 'Say something',
    config: { systemInstruction: 'Be brief.' },
  });
  return {
    text: response.text,
    finish: response.candidates?.[0]?.finishReason,
    hasUsage:
      (response.usageMetadata?.promptTokenCount ?? 0) > 0 &&
      (response.usageMetadata?.candidatesTokenCount ?? 0) > 0,
  };
}

async function streamedAnswer({ gemini }: Setup) {
  const stream = await gemini.models.generateContentStream({
    model: MODEL,
    contents: 'Stream something',
  });
  let text = '';
  let chunks = 0;
  let finish: string | undefined;
  let outputTokens = 0;
  for await (const chunk of stream) {
    chunks += 1;
    text += chunk.text ?? '';
    finish = chunk.candidates?.[0]?.finishReason ?? finish;
    outputTokens = chunk.usageMetadata?.candidatesTokenCount ?? outputTokens;
  }
  return { text, severalChunks: chunks > 1, finish, outputTokens: outputTokens > 0 };
}

const askWeather: Content = { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] };

async function toolRoundTrip({ gemini }: Setup, stream: boolean) {
  const request = {
    model: MODEL,
    contents: [askWeather],
    config: { tools: [{ functionDeclarations: [weatherTool] }] },
  };
  let modelTurn: Content | undefined;
  if (stream) {
    const parts: NonNullable<Content['parts']> = [];
    for await (const chunk of await gemini.models.generateContentStream(request)) {
      parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    }
    modelTurn = { role: 'model', parts };
  } else {
    modelTurn = (await gemini.models.generateContent(request)).candidates?.[0]?.content;
  }
  const call = modelTurn?.parts?.find((part) => part.functionCall)?.functionCall;
  if (!modelTurn || !call) throw new Error('no functionCall part in the answer');
  const followUp = await gemini.models.generateContent({
    ...request,
    contents: [
      askWeather,
      modelTurn,
      {
        role: 'user',
        parts: [{ functionResponse: { id: call.id, name: call.name, response: { celsius: 21 } } }],
      },
    ],
  });
  return { name: call.name, args: call.args, followUp: followUp.text };
}

async function imageInput({ gemini }: Setup) {
  const response = await gemini.models.generateContent({
    model: MODEL,
    contents: [
      {
        role: 'user',
        parts: [
          { text: 'What is in this picture?' },
          { inlineData: { mimeType: 'image/png', data: PIXEL_PNG } },
        ],
      },
    ],
  });
  return response.text;
}

async function midStreamError({ gemini, upstream }: Setup) {
  upstream.failStreamAfter(5, {
    status: 529,
    message: 'Overloaded',
    type: 'overloaded_error',
    code: 'overloaded',
  });
  let text = '';
  let raised: unknown;
  try {
    const stream = await gemini.models.generateContentStream({
      model: MODEL,
      contents: 'Break off',
    });
    for await (const chunk of stream) text += chunk.text ?? '';
  } catch (error) {
    raised = error;
  }
  upstream.reset();
  return {
    raised: raised instanceof Error,
    partOfTheReply: text.length > 0 && REPLY.startsWith(text),
  };
}

describe.each(NATIVE_UPSTREAMS)('a Gemini client on a $label channel', (native) => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp(native);
  });
  beforeEach(() => setup.upstream.reset());
  afterAll(async () => {
    await setup?.gateway.close();
    await setup?.upstream.close();
  });

  it('gets text, streamed text, function calls and images answered as Gemini answers them', async () => {
    const view = {
      plain: await plainAnswer(setup),
      streamed: await streamedAnswer(setup),
      tool: await toolRoundTrip(setup, false),
      toolStreamed: await toolRoundTrip(setup, true),
      image: await imageInput(setup),
      midStreamError: await midStreamError(setup),
    };
    const toolView = {
      name: 'get_weather',
      args: { location: 'Paris, France' },
      followUp: REPLY,
    };
    expect(view).toEqual({
      plain: { text: REPLY, finish: 'STOP', hasUsage: true },
      streamed: { text: REPLY, severalChunks: true, finish: 'STOP', outputTokens: true },
      tool: toolView,
      toolStreamed: toolView,
      image: REPLY,
      midStreamError: { raised: true, partOfTheReply: true },
    });
    // Each provider heard its own wire: Gemini the client's own request, the others converted.
    const paths = setup.upstream.requests
      .map((request) => request.url)
      .filter((path) => path !== '/token');
    expect(paths.filter((path) => !path.startsWith(native.chatPath))).toEqual([]);
  });

  it('counts tokens and lists the models without calling the upstream', async () => {
    const { gemini, upstream } = setup;
    const counted = await gemini.models.countTokens({ model: MODEL, contents: 'Count me please' });
    expect(counted.totalTokens).toBeGreaterThan(0);
    const listed: string[] = [];
    for await (const model of await gemini.models.list()) listed.push(model.name ?? '');
    expect(listed).toEqual([`models/${MODEL}`]);
    expect(upstream.requests).toEqual([]);
  });

  it('bills exactly what the upstream reported, and logs the client format', async () => {
    const { gateway, upstream, key } = setup;
    const price = await listedPrice(gateway, MODEL);
    for (const method of ['generateContent', 'streamGenerateContent?alt=sse']) {
      upstream.reset();
      // Plain HTTP, as a curl example sends it.
      const response = await fetch(`${gateway.base}/v1beta/models/${MODEL}:${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ text: 'Bill me' }] }],
          generationConfig: { maxOutputTokens: 100 },
        }),
      });
      expect(response.status).toBe(200);
      await response.text();
      const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
      const reported = upstream.requests[0]?.usage;
      expect(reported?.prompt_tokens).toBeGreaterThan(0);
      expect(log).toMatchObject({
        model: MODEL,
        promptTokens: reported?.prompt_tokens,
        completionTokens: reported?.completion_tokens,
        isStream: method !== 'generateContent',
      });
      expect(log.quota).toBe(
        quotaFor({ promptTokens: log.promptTokens, completionTokens: log.completionTokens }, price),
      );
      expect(JSON.parse(log.other ?? '{}')).toMatchObject({ clientFormat: 'gemini' });
    }
  });

  // Last: it stops the gateway so that every bill is written.
  it('keeps the ledger: the logs add up to what the key and its user used', async () => {
    await expectLedgerKept(setup.gateway, setup, 8);
  });
});

describe('Gemini clients meet errors in their own shape', () => {
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

  async function refusal(key: string, model = MODEL, query = '') {
    const response = await fetch(`${gateway.base}/v1beta/models/${model}:generateContent${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-goog-api-key': key } : {}) },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('a bad key, an exhausted quota and an unknown model', async () => {
    expect(await refusal('sk-wrong')).toEqual({
      status: 401,
      body: {
        error: {
          code: 401,
          status: 'UNAUTHENTICATED',
          message: expect.stringContaining('invalid_api_key') as unknown,
        },
      },
    });
    const spent = await createKey(gateway, { remainQuota: 0, unlimitedQuota: false });
    expect(await refusal(spent.key)).toMatchObject({
      status: 401,
      body: {
        error: { code: 401, message: expect.stringContaining('token_exhausted') as unknown },
      },
    });
    const { key } = await createKey(gateway);
    // Priced, but no channel serves it.
    expect(await refusal(key, 'gpt-4o')).toMatchObject({
      status: 503,
      body: {
        error: {
          code: 503,
          status: 'UNAVAILABLE',
          message: expect.stringContaining('model_not_available') as unknown,
        },
      },
    });
    // The SDK reads them as its own ApiError with the status.
    const sdk = geminiClient(gateway, 'sk-wrong');
    await expect(
      sdk.models.generateContent({ model: MODEL, contents: 'hi' }),
    ).rejects.toBeInstanceOf(ApiError);
  });

  it('takes the key from ?key= and never echoes it back', async () => {
    const { key } = await createKey(gateway);
    expect((await refusal('', MODEL, `?key=${key}`)).status).toBe(200);
    const unknown = await fetch(`${gateway.base}/v1beta/nowhere?key=${key}`);
    expect(await unknown.text()).not.toContain(key);
  });

  it('refuses a malformed body with 400 INVALID_ARGUMENT naming the field', async () => {
    upstream.reset();
    const { key } = await createKey(gateway);
    const response = await fetch(`${gateway.base}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
      body: JSON.stringify({ contents: 'not a list' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: expect.stringContaining('contents'),
      },
    });
    expect(upstream.requests).toEqual([]);
  });
});
