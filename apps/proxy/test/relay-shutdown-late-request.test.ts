import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, startGateway, type Gateway } from './harness.js';

/**
 * A request that reaches a proxy after SIGTERM began (here: pipelined behind a stream on a
 * connection opened before) is refused in its client's own error format, with `retry-after` and
 * `connection: close`, so an SDK retries it on a fresh connection — to a node that is up.
 */
describe('a request arriving while the proxy shuts down', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway({ shutdownTimeoutSeconds: 10 });
    upstream = await startFakeUpstream({ reply: 'one two three' });
    // The first request streams for a while: the close begins during it.
    upstream.streamDelayMs(150);
    await addChannel(gateway, { baseUrl: upstream.url });
    ({ key } = await createKey(gateway, { quota: 1_000_000 }));
  });
  afterAll(async () => {
    await upstream?.close();
  });

  /** Two requests on one connection, the second sent behind the first; all that came back. */
  async function pipelined(late: { path: string; headers: string; body: string }) {
    const { port } = new URL(gateway.base);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    const stream = JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(stream)}\r\n\r\n${stream}`,
    );
    while (!received.includes('"content"')) await new Promise((resolve) => setTimeout(resolve, 10));
    const closed = gateway.close();
    socket.write(
      `POST ${late.path} HTTP/1.1\r\nhost: gateway\r\n${late.headers}` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(late.body)}\r\n\r\n${late.body}`,
    );
    await ended;
    await closed;
    // The late request's answer follows the stream's last chunk.
    return received.slice(received.lastIndexOf('HTTP/1.1 '));
  }

  it('answers 503 server_shutting_down in the Claude format to a Claude client', async () => {
    const answer = await pipelined({
      path: '/v1/messages',
      headers: `x-api-key: ${key}\r\nanthropic-version: 2023-06-01\r\n`,
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer).toMatch(/\r\nretry-after: 1\r\n/i);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(body).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: expect.stringContaining('server_shutting_down') },
    });
  });
});
