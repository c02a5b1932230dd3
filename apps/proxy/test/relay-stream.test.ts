import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeWords, startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const REPLY = 'Streaming 你好 🌍 from the fake upstream';
const REPLY_TOKENS = fakeWords(REPLY).length;

/** Each answer has its own id and time; everything else must match byte for byte. */
const withoutIdentity = (bytes: Buffer) =>
  bytes
    .toString('latin1')
    .replace(/chatcmpl-fake\d+/g, 'ID')
    .replace(/"created":\d+/g, '"created":0');

/** The raw bytes of a streamed chat completion, as a client receives them. */
async function streamBytes(url: string, key: string, body: object): Promise<Buffer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('streamed chat completions', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: REPLY });
    await addChannel(gateway, { baseUrl: upstream.url });
    ({ key } = await createKey(gateway));
  });
  beforeEach(() => upstream.reset());
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const request = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'stream please' }],
    stream: true,
    stream_options: { include_usage: true },
  };

  it.each([
    ['\\n framing', { lineEnding: '\n' as const }],
    ['\\r\\n framing split every 7 bytes', { lineEnding: '\r\n' as const, splitEvery: 7 }],
    [
      'keep-alive comments, split every byte',
      { lineEnding: '\n' as const, splitEvery: 1, keepAliveComments: true },
    ],
  ])('reaches the client byte for byte: %s', async (_name, framing) => {
    upstream.streamFraming(framing);
    const direct = await streamBytes(`${upstream.url}/v1/chat/completions`, 'any', request);
    const relayed = await streamBytes(`${gateway.base}/v1/chat/completions`, key, request);
    expect(withoutIdentity(relayed)).toBe(withoutIdentity(direct));
    expect(relayed.toString()).toContain('data: [DONE]');
  });

  it('asks the upstream for usage, bills it, and hides the usage chunk from a client that did not ask', async () => {
    const stream = await openai(gateway, key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me' }],
      stream: true,
    });
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(REPLY);
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(upstream.requests[0]?.body).toMatchObject({ stream_options: { include_usage: true } });
    const [log] = await consumeLogs(gateway, 4);
    expect(log).toMatchObject({ promptTokens: 5, completionTokens: REPLY_TOKENS, isStream: true });
    expect(log!.ttftMs).toBeGreaterThan(0);
    expect(log!.durationMs).toBeGreaterThanOrEqual(log!.ttftMs);
  });

  it('gives the usage chunk to a client that asked for it', async () => {
    const stream = await openai(gateway, key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: REPLY_TOKENS });
  });

  it('ends the stream with an error the SDK raises when the upstream drops mid-stream', async () => {
    upstream.dropStreamAfter(3);
    const stream = await openai(gateway, key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'break' }],
      stream: true,
    });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/interrupted/);
    expect(received.length).toBeGreaterThan(0);
    // Not retried: bytes had reached the client.
    expect(upstream.requests).toHaveLength(1);
  });

  it('aborts the upstream request within a second of the client hanging up', async () => {
    upstream.streamDelayMs(200);
    const controller = new AbortController();
    const stream = await openai(gateway, key).chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }], stream: true },
      { signal: controller.signal },
    );
    for await (const _chunk of stream) {
      controller.abort();
      break;
    }
    const hungUpAt = Date.now();
    await upstream.waitForAborts(1);
    expect(Date.now() - hungUpAt).toBeLessThan(1000);
  });
});
