import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeWords, startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';

const REPLY = 'Answers for every client library';

describe('other client libraries through the gateway', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('serves the Vercel AI SDK (chat model), streamed and not, with usage', async () => {
    const provider = createOpenAI({ baseURL: `${gateway.base}/v1`, apiKey: key });
    const generated = await generateText({
      model: provider.chat('gpt-4o-mini'),
      prompt: 'hello',
      maxRetries: 0,
    });
    expect(generated.text).toBe(REPLY);
    expect(generated.usage.outputTokens).toBe(fakeWords(REPLY).length);

    const streamed = streamText({
      model: provider.chat('gpt-4o-mini'),
      prompt: 'hello',
      maxRetries: 0,
    });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe(REPLY);
    expect((await streamed.usage).outputTokens).toBe(fakeWords(REPLY).length);
    expect(await consumeLogs(gateway, 2)).toHaveLength(2);
  });

  it('serves LangChain ChatOpenAI, invoked and streamed', async () => {
    const model = new ChatOpenAI({
      model: 'gpt-4o-mini',
      apiKey: key,
      configuration: { baseURL: `${gateway.base}/v1` },
      maxRetries: 0,
    });
    const message = await model.invoke('hello');
    expect(message.content).toBe(REPLY);
    let text = '';
    for await (const chunk of await model.stream('hello')) text += String(chunk.content);
    expect(text).toBe(REPLY);
  });
});
