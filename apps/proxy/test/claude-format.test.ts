import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { quotaFor } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogOf, createKey, startGateway, type Gateway } from './harness.js';
import { expectLedgerKept, listedPrice } from './format-checks.js';
import { NATIVE_UPSTREAMS, type NativeUpstream } from './native-upstreams.js';

// Issue 17's Claude format: the official Anthropic SDK calls POST /v1/messages on the gateway and
// gets the same answers whichever upstream serves the model: an Anthropic channel (bytes passed
// through) or any other (converted through the hub, OpenAI chat).

const REPLY = 'Claude clients get this 你好 🌍';
const TOOL_ARGUMENTS = '{"location": "Paris, France"}';
const MODEL = 'gpt-4o-mini';
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The weather at a place',
  input_schema: {
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
  },
};

interface Setup {
  gateway: Gateway;
  upstream: FakeUpstream;
  key: string;
  claude: Anthropic;
  userId: number;
  tokenId: number;
}

function claudeClient(gateway: Gateway, apiKey: string): Anthropic {
  return new Anthropic({ apiKey, baseURL: gateway.base, maxRetries: 0, timeout: 20_000 });
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
    claude: claudeClient(gateway, key),
    userId: user.id,
    tokenId: token.id,
  };
}

const textOf = (message: Anthropic.Message) =>
  message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

async function plainMessage({ claude }: Setup) {
  const message = await claude.messages.create({
    model: MODEL,
    max_tokens: 256,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Say something' }],
  });
  return {
    type: message.type,
    role: message.role,
    idLooksLikeClaude: message.id.startsWith('msg_'),
    text: textOf(message),
    stop: message.stop_reason,
    hasUsage: message.usage.input_tokens > 0 && message.usage.output_tokens > 0,
  };
}

async function streamedMessage({ claude }: Setup) {
  const stream = claude.messages.stream({
    model: MODEL,
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Stream something' }],
  });
  let text = '';
  const events: string[] = [];
  stream.on('text', (delta) => (text += delta));
  stream.on('streamEvent', (event) => {
    if (events.at(-1) !== event.type) events.push(event.type);
  });
  const final = await stream.finalMessage();
  return {
    text,
    finalText: textOf(final),
    stop: final.stop_reason,
    outputTokens: final.usage.output_tokens > 0,
    // Collapsed runs: a ping or a second block would show here.
    events: events.filter((type) => type !== 'ping'),
  };
}

const askWeather: Anthropic.MessageParam = {
  role: 'user',
  content: 'What is the weather in Paris?',
};

async function toolRoundTrip({ claude }: Setup, stream: boolean) {
  const request = { model: MODEL, max_tokens: 256, messages: [askWeather], tools: [weatherTool] };
  const answer = stream
    ? await claude.messages.stream(request).finalMessage()
    : await claude.messages.create(request);
  const call = answer.content.find((block) => block.type === 'tool_use');
  if (call?.type !== 'tool_use') throw new Error('no tool_use block in the answer');
  const followUp = await claude.messages.create({
    model: MODEL,
    max_tokens: 256,
    // The fakes call a tool whenever one is offered; a real model would answer the result.
    tools: [weatherTool],
    tool_choice: { type: 'none' },
    messages: [
      askWeather,
      { role: 'assistant', content: answer.content },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: call.id, content: '{"celsius": 21}' }],
      },
    ],
  });
  return {
    name: call.name,
    input: call.input,
    hasId: call.id.length > 0,
    stop: answer.stop_reason,
    followUp: textOf(followUp),
    followUpStop: followUp.stop_reason,
  };
}

async function imageInput({ claude }: Setup) {
  const message = await claude.messages.create({
    model: MODEL,
    max_tokens: 256,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL_PNG } },
        ],
      },
    ],
  });
  return textOf(message);
}

async function midStreamError({ claude, upstream }: Setup) {
  upstream.failStreamAfter(5, {
    status: 529,
    message: 'Overloaded',
    type: 'overloaded_error',
    code: 'overloaded',
  });
  let text = '';
  let raised: unknown;
  try {
    const stream = claude.messages.stream({
      model: MODEL,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Break off' }],
    });
    stream.on('text', (delta) => (text += delta));
    await stream.finalMessage();
  } catch (error) {
    raised = error;
  }
  upstream.reset();
  return {
    raised: raised instanceof Anthropic.APIError,
    partOfTheReply: text.length > 0 && REPLY.startsWith(text),
  };
}

async function clientView(setup: Setup) {
  return {
    plain: await plainMessage(setup),
    streamed: await streamedMessage(setup),
    tool: await toolRoundTrip(setup, false),
    toolStreamed: await toolRoundTrip(setup, true),
    image: await imageInput(setup),
    midStreamError: await midStreamError(setup),
  };
}

describe.each(NATIVE_UPSTREAMS)('a Claude client on a $label channel', (native) => {
  let setup: Setup;

  beforeAll(async () => {
    setup = await setUp(native);
  });
  beforeEach(() => setup.upstream.reset());
  afterAll(async () => {
    await setup?.gateway.close();
    await setup?.upstream.close();
  });

  it('gets text, streamed text, tool calls and images answered as Claude answers them', async () => {
    const view = await clientView(setup);
    expect(view).toEqual({
      plain: {
        type: 'message',
        role: 'assistant',
        idLooksLikeClaude: true,
        text: REPLY,
        stop: 'end_turn',
        hasUsage: true,
      },
      streamed: {
        text: REPLY,
        finalText: REPLY,
        stop: 'end_turn',
        outputTokens: true,
        events: [
          'message_start',
          'content_block_start',
          'content_block_delta',
          'content_block_stop',
          'message_delta',
          'message_stop',
        ],
      },
      tool: {
        name: 'get_weather',
        input: { location: 'Paris, France' },
        hasId: true,
        stop: 'tool_use',
        followUp: REPLY,
        followUpStop: 'end_turn',
      },
      toolStreamed: {
        name: 'get_weather',
        input: { location: 'Paris, France' },
        hasId: true,
        stop: 'tool_use',
        followUp: REPLY,
        followUpStop: 'end_turn',
      },
      image: REPLY,
      midStreamError: { raised: true, partOfTheReply: true },
    });
    // Each provider heard its own wire: Anthropic the client's own request, the others converted.
    const paths = setup.upstream.requests
      .map((request) => request.url)
      .filter((path) => path !== '/token');
    expect(paths.filter((path) => !path.startsWith(native.chatPath))).toEqual([]);
  });

  it('bills exactly what the upstream reported, and logs the client format', async () => {
    const { gateway, upstream, claude } = setup;
    const price = await listedPrice(gateway, MODEL);
    for (const stream of [false, true]) {
      upstream.reset();
      const request = {
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: 'user' as const, content: 'Bill me' }],
      };
      let requestId: string | null;
      if (stream) {
        const streamed = await claude.messages.create({ ...request, stream: true }).withResponse();
        for await (const _event of streamed.data) void _event;
        requestId = streamed.response.headers.get('x-request-id');
      } else {
        requestId = (await claude.messages.create(request).withResponse()).response.headers.get(
          'x-request-id',
        );
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
      expect(JSON.parse(log.other ?? '{}')).toMatchObject({ clientFormat: 'claude' });
    }
  });

  // Last: it stops the gateway so that every bill is written.
  it('keeps the ledger: the logs add up to what the key and its user used', async () => {
    await expectLedgerKept(setup.gateway, setup, 8);
  });
});
