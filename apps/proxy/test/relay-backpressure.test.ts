import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, startGateway, type Gateway } from './harness.js';

// About 25 MB of events: more than every socket buffer between the fake and the client holds.
const LONG_REPLY = Array.from({ length: 100_000 }, (_, i) => `word${i}`).join(' ');

describe('a slow client', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: LONG_REPLY });
    await addChannel(gateway, { baseUrl: upstream.url });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('holds the upstream back instead of buffering the whole stream in the gateway', async () => {
    const url = new URL(`${gateway.base}/v1/chat/completions`);
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: 100_000,
      messages: [{ role: 'user', content: 'a very long answer please' }],
      stream: true,
    });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      });
      request.on('response', resolve).on('error', reject).end(body);
    });
    expect(response.statusCode).toBe(200);
    response.pause(); // the client stops reading

    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(upstream.requests[0]?.streamEnd).toBeUndefined(); // the upstream is waiting for room

    let bytes = 0;
    response.on('data', (chunk: Buffer) => (bytes += chunk.length));
    response.resume();
    await new Promise((resolve) => response.on('end', resolve));
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(upstream.requests[0]?.streamEnd).toBe('finished');
  });
});
