import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '@chat-api/db';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const MODEL = 'claude-sonnet-4-5';
const REPLY = 'Served by the OpenAI channel';

describe('failover across formats', () => {
  let gateway: Gateway;
  let anthropic: FakeUpstream;
  let backup: FakeUpstream;
  let key: string;
  let anthropicChannel: number;
  let openAIChannel: number;

  beforeAll(async () => {
    gateway = await startGateway();
    anthropic = await startFakeUpstream({ reply: 'Served by Claude' });
    backup = await startFakeUpstream({ reply: REPLY });
    await gateway.db.repos.options.setMany({
      ModelRatio: JSON.stringify({ [MODEL]: 1.5 }),
      CompletionRatio: JSON.stringify({ [MODEL]: 5 }),
    });
    anthropicChannel = (
      await addChannel(gateway, {
        type: 'anthropic',
        name: 'claude',
        baseUrl: anthropic.url,
        models: [MODEL],
        priority: 10,
      })
    ).id;
    // The same model name, served by another provider under its own name.
    openAIChannel = (
      await addChannel(gateway, {
        type: 'openai',
        name: 'openai backup',
        baseUrl: backup.url,
        models: [MODEL],
        modelMapping: { [MODEL]: 'gpt-4o-mini' },
        priority: 0,
      })
    ).id;
    ({ key } = await createKey(gateway));
  });
  beforeEach(() => {
    anthropic.reset();
    backup.reset();
  });
  afterAll(async () => {
    await gateway?.close();
    await anthropic?.close();
    await backup?.close();
  });

  async function ask(stream: boolean) {
    const sdk = openai(gateway, key);
    const messages = [{ role: 'user' as const, content: 'Who answers?' }];
    if (!stream) {
      const { data, response } = await sdk.chat.completions
        .create({ model: MODEL, messages })
        .withResponse();
      return {
        text: data.choices[0]?.message.content,
        requestId: response.headers.get('x-request-id'),
      };
    }
    const { data, response } = await sdk.chat.completions
      .create({ model: MODEL, messages, stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    return { text, requestId: response.headers.get('x-request-id') };
  }

  it.each([false, true])(
    'an overloaded Anthropic channel falls over to the OpenAI one before the first byte (stream %s)',
    async (stream) => {
      anthropic.failNext({ status: 529, message: 'Overloaded', type: 'overloaded_error' });
      const { text, requestId } = await ask(stream);
      expect(text).toBe(REPLY);
      expect(anthropic.requests).toHaveLength(1);
      expect(anthropic.requests[0]?.url).toMatch(/\/v1\/messages$/);
      expect(backup.requests).toHaveLength(1);
      expect(backup.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
      const log = await consumeLogOf(gateway, requestId);
      expect(log).toMatchObject({ channelId: openAIChannel, model: MODEL });
      // Overload is not the channel's fault: it stays in rotation.
      const channel = await gateway.db.repos.channels.get(anthropicChannel);
      expect(channel?.status).toBe(ChannelStatus.enabled);
    },
  );

  it('a dead Anthropic key disables the channel and the OpenAI channel answers', async () => {
    anthropic.failNext({
      status: 401,
      message: 'invalid x-api-key',
      type: 'authentication_error',
    });
    const { text } = await ask(false);
    expect(text).toBe(REPLY);
    await expect
      .poll(async () => (await gateway.db.repos.channels.get(anthropicChannel))?.status)
      .toBe(ChannelStatus.autoDisabled);
    await gateway.db.repos.channels.setStatus(anthropicChannel, ChannelStatus.enabled);
  });

  it('an Anthropic answer reaches the client as OpenAI chat when the channel is well', async () => {
    const { text, requestId } = await ask(true);
    expect(text).toBe('Served by Claude');
    expect(backup.requests).toHaveLength(0);
    expect((await consumeLogOf(gateway, requestId)).channelId).toBe(anthropicChannel);
  });
});
