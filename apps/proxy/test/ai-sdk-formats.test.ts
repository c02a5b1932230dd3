import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';
import { NATIVE_UPSTREAMS } from './native-upstreams.js';

// Issue 17: the AI SDK's providers for each client format (`@ai-sdk/anthropic`,
// `openai.responses`, `@ai-sdk/google`), pointed at the gateway with a custom base URL, get the
// same text, stream and tool round trip from an OpenAI, an Anthropic and a Gemini upstream.

const REPLY = 'Every AI SDK provider gets this';
const MODEL = 'gpt-4o-mini';

const CLIENTS: { format: string; model(base: string, key: string): LanguageModel }[] = [
  {
    format: 'claude',
    model: (base, apiKey) => createAnthropic({ baseURL: `${base}/v1`, apiKey })(MODEL),
  },
  {
    format: 'responses',
    model: (base, apiKey) => createOpenAI({ baseURL: `${base}/v1`, apiKey }).responses(MODEL),
  },
  {
    format: 'gemini',
    model: (base, apiKey) => createGoogleGenerativeAI({ baseURL: `${base}/v1beta`, apiKey })(MODEL),
  },
];

const UPSTREAMS = NATIVE_UPSTREAMS.filter((native) =>
  ['OpenAI', 'Anthropic', 'Gemini'].includes(native.label),
);

const weather = tool({
  description: 'The weather at a place',
  inputSchema: jsonSchema<{ location: string }>({
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
  }),
  execute: ({ location }) => Promise.resolve({ location, celsius: 21 }),
});

describe.each(UPSTREAMS)('AI SDK providers on a $label channel', (native) => {
  let gateway: Gateway;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({
      reply: REPLY,
      toolArguments: '{"location": "Paris, France"}',
    });
    await addChannel(gateway, { models: [MODEL], ...(await native.channel(upstream)) });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it.each(CLIENTS)(
    'the $format provider: text, stream, tool round trip, billed',
    async (client) => {
      const { key, token } = await createKey(gateway);
      const model = client.model(gateway.base, key);
      const generated = await generateText({ model, prompt: 'hi', maxRetries: 0 });
      const streamed = streamText({ model, prompt: 'hi', maxRetries: 0 });
      let text = '';
      for await (const delta of streamed.textStream) text += delta;
      const withTool = await generateText({
        model,
        prompt: 'What is the weather in Paris?',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(2),
        maxRetries: 0,
      });
      expect({
        text: generated.text,
        usage: (generated.usage.outputTokens ?? 0) > 0,
        streamed: text,
        streamedUsage: ((await streamed.usage).outputTokens ?? 0) > 0,
        toolCall: withTool.steps[0]?.toolCalls.map(({ toolName, input }) => ({ toolName, input })),
        afterTool: withTool.text,
      }).toEqual({
        text: REPLY,
        usage: true,
        streamed: REPLY,
        streamedUsage: true,
        toolCall: [{ toolName: 'get_weather', input: { location: 'Paris, France' } }],
        afterTool: REPLY,
      });
      // Four requests (the tool round trip is two), each billed and logged with its format.
      await vi.waitFor(async () => {
        const logs = (await consumeLogs(gateway, 0)).filter((log) => log.tokenId === token.id);
        expect(logs.map((log) => JSON.parse(log.other ?? '{}') as unknown)).toEqual(
          Array.from({ length: 4 }, () => expect.objectContaining({ clientFormat: client.format })),
        );
      });
    },
  );
});
