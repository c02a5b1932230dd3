import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countChatPrompt, countText } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const REPLY = 'Counted by the gateway because the upstream kept quiet';
const MESSAGES = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Say something countable, 请.' },
];

describe('usage counted by the gateway when the upstream reports none', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o-mini'] });
    ({ key } = await createKey(gateway));
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const promptTokens = countChatPrompt({ messages: MESSAGES }, 'gpt-4o-mini');
  const completionTokens = countText(REPLY, 'gpt-4o-mini');

  it("counts a whole answer with the model's tokenizer", async () => {
    upstream.omitUsage();
    const { response } = await openai(gateway, key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .withResponse();
    const log = await consumeLogOf(gateway, response.headers.get('x-request-id')!);
    expect(log).toMatchObject({ promptTokens, completionTokens });
    expect(JSON.parse(log.other!)).toMatchObject({ usageCounted: true });
  });

  it('counts a stream that brought no usage chunk', async () => {
    upstream.omitUsage();
    const { data: stream, response } = await openai(gateway, key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(REPLY);
    const log = await consumeLogOf(gateway, response.headers.get('x-request-id')!);
    expect(log).toMatchObject({ promptTokens, completionTokens, isStream: true });
  });

  it('bills the prompt and what was delivered when the client hangs up', async () => {
    upstream.streamDelayMs(100);
    const controller = new AbortController();
    const { data: stream, response } = await openai(gateway, key)
      .chat.completions.create(
        { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
        { signal: controller.signal },
      )
      .withResponse();
    let delivered = '';
    for await (const chunk of stream) {
      delivered += chunk.choices[0]?.delta.content ?? '';
      if (delivered.length > 0) {
        controller.abort();
        break;
      }
    }
    const log = await consumeLogOf(gateway, response.headers.get('x-request-id')!);
    expect(log.promptTokens).toBe(promptTokens);
    expect(log.completionTokens).toBeGreaterThanOrEqual(countText(delivered, 'gpt-4o-mini'));
    expect(log.completionTokens).toBeLessThan(completionTokens);
    expect(JSON.parse(log.other!)).toMatchObject({ streamEnd: 'client_abort', usageCounted: true });
  });
});
