import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quotaFor } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';
import { NATIVE_UPSTREAMS, type NativeUpstream } from './native-upstreams.js';

// Issue 16's acceptance: the official OpenAI SDK, the AI SDK and LangChain get the same results
// from an OpenAI upstream and from each native one (the gateway converts both ways), bills are
// the upstream's own counts, and failures look the same to the client.

const REPLY = 'Native upstreams answer like OpenAI 你好 🌍';
const TOOL_ARGUMENTS = '{"location": "Paris, France"}';
const MODEL = 'gpt-4o-mini';
// A 1×1 transparent PNG.
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather at a place',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
    },
  },
};

interface Setup {
  gateway: Gateway;
  upstream: FakeUpstream;
  key: string;
  sdk: OpenAI;
  userId: number;
  tokenId: number;
}

async function setUp(native: NativeUpstream): Promise<Setup> {
  const gateway = await startGateway();
  const upstream = await startFakeUpstream({ reply: REPLY, toolArguments: TOOL_ARGUMENTS });
  const channel = await native.channel(upstream);
  await addChannel(gateway, { models: [MODEL], ...channel });
  const { key, user, token } = await createKey(gateway);
  return { gateway, upstream, key, sdk: openai(gateway, key), userId: user.id, tokenId: token.id };
}

/** What a client sees of a chat, with the details that may differ between upstreams left out. */
async function plainChat({ sdk }: Setup) {
  const answer = await sdk.chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say something' },
    ],
  });
  const [choice] = answer.choices;
  return {
    object: answer.object,
    model: answer.model,
    role: choice?.message.role,
    text: choice?.message.content,
    finish: choice?.finish_reason,
    hasUsage: (answer.usage?.prompt_tokens ?? 0) > 0 && (answer.usage?.completion_tokens ?? 0) > 0,
  };
}

async function streamedChat({ sdk }: Setup) {
  const stream = await sdk.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: 'Stream something' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish: string | null | undefined;
  let usage: OpenAI.CompletionUsage | undefined;
  let usageWasLast = false;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
    usageWasLast = chunk.usage !== null && chunk.usage !== undefined && chunk.choices.length === 0;
  }
  return { text, finish, usageAtTheEnd: usageWasLast && (usage?.completion_tokens ?? 0) > 0 };
}

const askWeather: OpenAI.Chat.Completions.ChatCompletionMessageParam = {
  role: 'user',
  content: 'What is the weather in Paris?',
};

async function toolRoundTrip({ sdk }: Setup, stream: boolean) {
  const request = { model: MODEL, messages: [askWeather], tools: [weatherTool] };
  let call: { id: string; name: string; arguments: string } | undefined;
  let finish: string | null | undefined;
  if (stream) {
    const chunks = await sdk.chat.completions.create({ ...request, stream: true });
    for await (const chunk of chunks) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      if (delta?.id) call = { id: delta.id, name: delta.function?.name ?? '', arguments: '' };
      if (call && delta?.function?.arguments) call.arguments += delta.function.arguments;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
  } else {
    const answer = await sdk.chat.completions.create(request);
    const first = answer.choices[0]?.message.tool_calls?.[0];
    if (first?.type === 'function') {
      call = { id: first.id, name: first.function.name, arguments: first.function.arguments };
    }
    finish = answer.choices[0]?.finish_reason;
  }
  if (!call) throw new Error('no tool call in the answer');
  // The tool's result goes back with the call it answers; the model then answers in text.
  const followUp = await sdk.chat.completions.create({
    model: MODEL,
    messages: [
      askWeather,
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          },
        ],
      },
      { role: 'tool', tool_call_id: call.id, content: '{"celsius": 21}' },
    ],
  });
  return {
    name: call.name,
    arguments: JSON.parse(call.arguments) as unknown,
    hasId: call.id.length > 0,
    finish,
    followUp: followUp.choices[0]?.message.content,
  };
}

async function imageInput({ sdk }: Setup) {
  const answer = await sdk.chat.completions.create({
    model: MODEL,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: PIXEL } },
        ],
      },
    ],
  });
  return answer.choices[0]?.message.content;
}

async function midStreamError({ sdk, upstream }: Setup) {
  upstream.failStreamAfter(5, {
    status: 529,
    message: 'Overloaded',
    type: 'overloaded_error',
    code: 'overloaded',
  });
  const stream = await sdk.chat.completions.create({
    model: MODEL,
    messages: [{ role: 'user', content: 'Break off' }],
    stream: true,
  });
  let text = '';
  let raised: unknown;
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    raised = error;
  }
  upstream.reset();
  return { raised: raised instanceof Error, partOfTheReply: REPLY.startsWith(text) };
}

async function vercelAiSdk({ gateway, key }: Setup) {
  const provider = createOpenAI({ baseURL: `${gateway.base}/v1`, apiKey: key });
  const generated = await generateText({
    model: provider.chat(MODEL),
    prompt: 'hi',
    maxRetries: 0,
  });
  const streamed = streamText({ model: provider.chat(MODEL), prompt: 'hi', maxRetries: 0 });
  let text = '';
  for await (const delta of streamed.textStream) text += delta;
  const withTool = await generateText({
    model: provider.chat(MODEL),
    prompt: 'What is the weather in Paris?',
    tools: {
      get_weather: tool({
        description: 'The weather at a place',
        inputSchema: jsonSchema<{ location: string }>({
          type: 'object',
          properties: { location: { type: 'string' } },
          required: ['location'],
        }),
        execute: ({ location }) => Promise.resolve({ location, celsius: 21 }),
      }),
    },
    stopWhen: stepCountIs(2),
    maxRetries: 0,
  });
  return {
    text: generated.text,
    streamed: text,
    streamedUsage: ((await streamed.usage).outputTokens ?? 0) > 0,
    toolInput: withTool.steps[0]?.toolCalls[0]?.input,
    afterTool: withTool.text,
  };
}

async function langChain({ gateway, key }: Setup) {
  const model = new ChatOpenAI({
    model: MODEL,
    apiKey: key,
    configuration: { baseURL: `${gateway.base}/v1` },
    maxRetries: 0,
  });
  const invoked = await model.invoke('hi');
  let streamed = '';
  for await (const chunk of await model.stream('hi')) streamed += String(chunk.content);
  const withTool = await model.bindTools([weatherTool]).invoke('What is the weather in Paris?');
  return {
    text: invoked.content,
    streamed,
    toolCall: withTool.tool_calls?.map(({ name, args }) => ({ name, args })),
  };
}

/** Everything a client sees, for comparing one upstream with another. */
async function clientView(setup: Setup) {
  return {
    plain: await plainChat(setup),
    streamed: await streamedChat(setup),
    tool: await toolRoundTrip(setup, false),
    toolStreamed: await toolRoundTrip(setup, true),
    image: await imageInput(setup),
    midStreamError: await midStreamError(setup),
    aiSdk: await vercelAiSdk(setup),
    langChain: await langChain(setup),
  };
}

let openAIView: Awaited<ReturnType<typeof clientView>>;

describe.each(NATIVE_UPSTREAMS)('a $label channel', (native) => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp(native);
    if (!openAIView) {
      const reference = await setUp(NATIVE_UPSTREAMS[0]!);
      try {
        openAIView = await clientView(reference);
      } finally {
        await reference.gateway.close();
        await reference.upstream.close();
      }
    }
  });
  beforeEach(() => setup.upstream.reset());
  afterAll(async () => {
    await setup?.gateway.close();
    await setup?.upstream.close();
  });

  it('gives every client library what an OpenAI upstream gives it', async () => {
    const view = await clientView(setup);
    // The provider heard its own format, not OpenAI's passed along.
    // Vertex AI's token service is not the chat's wire.
    const paths = setup.upstream.requests
      .map((request) => request.url)
      .filter((path) => path !== '/token');
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith(native.chatPath))).toEqual([]);
    expect(view).toEqual(openAIView);
    // Not vacuous: the reference itself is the reply, the tool call and its follow-up.
    expect(view.plain).toMatchObject({ text: REPLY, finish: 'stop', hasUsage: true });
    expect(view.streamed).toEqual({ text: REPLY, finish: 'stop', usageAtTheEnd: true });
    expect(view.tool).toMatchObject({
      name: 'get_weather',
      arguments: { location: 'Paris, France' },
      finish: 'tool_calls',
      followUp: REPLY,
    });
    expect(view.midStreamError).toEqual({ raised: true, partOfTheReply: true });
  });

  it('bills exactly what the upstream reported, streamed or not', async () => {
    const { gateway, upstream, sdk } = setup;
    const prices = await gateway.db.repos.options.effective();
    const ratio = (JSON.parse(prices.ModelRatio) as Record<string, number>)[MODEL]!;
    const completionRatio = (JSON.parse(prices.CompletionRatio) as Record<string, number>)[MODEL]!;
    for (const stream of [false, true]) {
      upstream.reset();
      const messages = [{ role: 'user' as const, content: 'Bill me' }];
      let response: Response;
      if (stream) {
        const streamed = await sdk.chat.completions
          .create({ model: MODEL, messages, stream: true })
          .withResponse();
        for await (const _chunk of streamed.data) void _chunk;
        response = streamed.response;
      } else {
        ({ response } = await sdk.chat.completions
          .create({ model: MODEL, messages })
          .withResponse());
      }
      const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
      const reported = upstream.requests[0]?.usage;
      expect(reported?.prompt_tokens).toBeGreaterThan(0);
      expect(log).toMatchObject({
        promptTokens: reported?.prompt_tokens,
        completionTokens: reported?.completion_tokens,
        isStream: stream,
      });
      const price = { modelRatio: ratio, completionRatio, groupRatio: 1 };
      expect(log.quota).toBe(
        quotaFor({ promptTokens: log.promptTokens, completionTokens: log.completionTokens }, price),
      );
    }
  });

  it('bills prompt-cache reads and writes at their own prices', async () => {
    const { gateway, upstream, sdk } = setup;
    await gateway.db.repos.options.setMany({
      CacheRatio: JSON.stringify({ [MODEL]: 0.1 }),
      CreateCacheRatio: JSON.stringify({ [MODEL]: 1.25 }),
    });
    const prices = await gateway.db.repos.options.effective();
    const price = {
      modelRatio: (JSON.parse(prices.ModelRatio) as Record<string, number>)[MODEL]!,
      completionRatio: (JSON.parse(prices.CompletionRatio) as Record<string, number>)[MODEL]!,
      groupRatio: 1,
      cacheRatio: 0.1,
      cacheWriteRatio: 1.25,
    };
    // A long system prompt: OpenAI and Gemini cache it on their own, Anthropic where the client
    // marks it (the mark is an extra field OpenAI's wire carries along).
    const system = {
      role: 'system',
      content: [
        {
          type: 'text',
          text: `Rules: ${'be exact. '.repeat(40)}`,
          cache_control: { type: 'ephemeral' },
        },
      ],
    } as unknown as OpenAI.Chat.Completions.ChatCompletionMessageParam;
    const billed = [];
    for (const stream of [false, true, false]) {
      upstream.reset();
      const messages = [system, { role: 'user' as const, content: 'Cache me' }];
      let response: Response;
      if (stream) {
        const streamed = await sdk.chat.completions
          .create({ model: MODEL, messages, stream: true })
          .withResponse();
        for await (const _chunk of streamed.data) void _chunk;
        response = streamed.response;
      } else {
        ({ response } = await sdk.chat.completions
          .create({ model: MODEL, messages })
          .withResponse());
      }
      const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
      const reported = upstream.requests[0]?.usage;
      const cachedTokens = reported?.prompt_tokens_details?.cached_tokens ?? 0;
      const cacheWriteTokens = reported?.prompt_tokens_details?.cache_write_tokens ?? 0;
      const usage = {
        promptTokens: reported?.prompt_tokens ?? -1,
        completionTokens: reported?.completion_tokens ?? -1,
        cachedTokens,
        cacheWriteTokens,
      };
      expect(log).toMatchObject({
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        quota: quotaFor(usage, price),
      });
      const note = JSON.parse(log.other ?? '{}') as Record<string, unknown>;
      if (cachedTokens > 0 || cacheWriteTokens > 0) {
        expect(note).toMatchObject({ cachedTokens, cacheWriteTokens });
      }
      billed.push({ cachedTokens, cacheWriteTokens, quota: log.quota });
    }
    if (native.billsCacheWrites) expect(billed[0]!.cacheWriteTokens).toBeGreaterThan(40);
    else expect(billed[0]!.cacheWriteTokens).toBe(0);
    // Every provider reads the prompt from its cache the second time, and that is cheaper.
    expect(billed[1]!.cachedTokens).toBeGreaterThan(40);
    expect(billed[2]!.cachedTokens).toBe(billed[1]!.cachedTokens);
    expect(billed[2]!.quota).toBeLessThan(billed[0]!.quota);
  });

  it('cancels the upstream when the client hangs up, and bills what was delivered', async () => {
    const { gateway, upstream, sdk } = setup;
    upstream.streamDelayMs(100);
    const controller = new AbortController();
    const { data: stream, response } = await sdk.chat.completions
      .create(
        { model: MODEL, messages: [{ role: 'user', content: 'Slowly' }], stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    let delivered = '';
    try {
      for await (const chunk of stream) {
        delivered += chunk.choices[0]?.delta.content ?? '';
        if (delivered.length > 0) controller.abort();
      }
    } catch {
      // The SDK reports its own abort.
    }
    await upstream.waitForAborts(1);
    const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
    expect(delivered.length).toBeGreaterThan(0);
    expect(log.completionTokens).toBeGreaterThan(0);
    expect(log.completionTokens).toBeLessThan(15);
    expect(log.quota).toBeGreaterThan(0);
  });

  // Last: it stops the gateway so that every bill is written.
  it('keeps the ledger: the logs add up to what the key and its user used', async () => {
    const { gateway, userId, tokenId } = setup;
    await gateway.app.close();
    const logs = await gateway.db.repos.logs.stats({ userId, type: 2 });
    const token = await gateway.db.repos.tokens.get(tokenId);
    const user = await gateway.db.repos.users.findById(userId);
    expect(logs.requests).toBeGreaterThan(10);
    expect(token?.usedQuota).toBe(logs.quota);
    expect(user?.usedQuota).toBe(logs.quota);
  });
});
