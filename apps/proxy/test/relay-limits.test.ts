import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type TestDatabase } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { build } from '../src/app.js';
import { quiet } from './harness.js';

const MB = 1024 * 1024;
/** Long enough for any answer here; the old proxy never answered a slow body at all. */
const GIVE_UP_MS = 10_000;

interface RawExchange {
  /** The status the proxy answered, if it answered. */
  status: number | undefined;
  headers: string;
  body: string;
  /** Body bytes the client managed to hand to its socket before the answer came. */
  sent: number;
  /** The proxy closed the connection (rather than the client giving up). */
  closedByProxy: boolean;
}

/**
 * A client on a raw socket: sends `head`, then the body as fast as the proxy takes it (`flood`)
 * or one byte every 100 ms (`trickle`), until the proxy answers; resolves once the connection is
 * closed, or after GIVE_UP_MS.
 */
function rawRequest(
  port: number,
  options: {
    head: string;
    bodyBytes: number;
    pace: 'flood' | 'trickle';
    onSocket?(socket: net.Socket): void;
  },
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    options.onSocket?.(socket);
    let sent = 0;
    let answer = '';
    let givenUp = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (answer === '' && !socket.destroyed && sent < options.bodyBytes) {
        if (options.pace === 'trickle') {
          socket.write('a');
          sent++;
          setTimeout(pump, 100);
          return;
        }
        const bytes = chunk.subarray(0, Math.min(chunk.length, options.bodyBytes - sent));
        sent += bytes.length;
        if (!socket.write(bytes)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('connect', () => {
      socket.write(options.head);
      pump();
    });
    socket.on('data', (data: Buffer) => (answer += data.toString()));
    socket.on('error', () => undefined); // writing into a connection the proxy closed
    const giveUp = setTimeout(() => {
      givenUp = true;
      socket.destroy();
    }, GIVE_UP_MS);
    socket.on('close', () => {
      clearTimeout(giveUp);
      const [headers = '', body = ''] = answer.split('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1];
      resolve({
        status: status ? Number(status) : undefined,
        headers: headers.toLowerCase(),
        body,
        sent,
        closedByProxy: !givenUp,
      });
    });
  });
}

function postHead(options: { authorization?: string; contentLength: number }): string {
  const auth = options.authorization ? `authorization: ${options.authorization}\r\n` : '';
  return (
    'POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n' +
    `${auth}content-length: ${options.contentLength}\r\n\r\n`
  );
}

describe('proxy limits on what clients send (REQUEST_BODY_TIMEOUT 1 s)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let upstream: FakeUpstream;
  let port: number;
  let key: string;
  /** Bytes the proxy read from each connection, by the client's port, once it closed. */
  const readByProxy = new Map<number, number>();

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
    upstream = await startFakeUpstream({ reply: 'one two three four five six seven eight' });
    app = build({ db, env: { consolePort: 3001, requestBodyTimeoutSeconds: 1 } });
    app.server.on('connection', (socket: net.Socket) => {
      const clientPort = socket.remotePort ?? 0;
      socket.on('close', () => readByProxy.set(clientPort, socket.bytesRead));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;

    const user = await db.repos.users.create({
      username: 'limited',
      password: 'password-123',
      quota: 10_000_000,
    });
    ({ key } = await db.repos.tokens.create(user.id, { name: 'limits', unlimitedQuota: true }));
    await db.repos.channels.create({
      type: 'openai-compatible',
      name: 'fake',
      key: 'sk-upstream',
      baseUrl: upstream.url,
      models: ['gpt-4o-mini'],
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await upstream?.close();
    await testDb?.drop();
  });

  it('refuses 10 anonymous 30 MB posts with 401 without reading their bodies', async () => {
    const clientPorts: number[] = [];
    const exchanges = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        rawRequest(port, {
          head: postHead({
            authorization: i % 2 === 0 ? undefined : 'Bearer sk-not-a-key',
            contentLength: 30 * MB,
          }),
          bodyBytes: 30 * MB,
          pace: 'flood',
          onSocket: (socket) => socket.on('connect', () => clientPorts.push(socket.localPort!)),
        }),
      ),
    );
    for (const exchange of exchanges) {
      expect(exchange.status).toBe(401);
      expect(JSON.parse(exchange.body)).toMatchObject({ error: { code: 'invalid_api_key' } });
      expect(exchange.headers).toContain('connection: close');
      // The answer came while the client was still sending, and the proxy closed the connection.
      expect(exchange.sent).toBeLessThan(30 * MB);
      expect(exchange.closedByProxy).toBe(true);
    }
    // The proxy took in a sliver of the 300 MB offered.
    await expect.poll(() => clientPorts.every((p) => readByProxy.has(p))).toBe(true);
    for (const p of clientPorts) expect(readByProxy.get(p)).toBeLessThan(1 * MB);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 408 and closes the connection when a body trickles in slower than the limit', async () => {
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'slowly' }],
    });
    const exchange = await rawRequest(port, {
      head: postHead({ authorization: `Bearer ${key}`, contentLength: body.length }),
      bodyBytes: body.length,
      pace: 'trickle',
    });
    expect(exchange.status).toBe(408);
    expect(JSON.parse(exchange.body)).toMatchObject({ error: { code: 'request_timeout' } });
    expect(exchange.closedByProxy).toBe(true);
    expect(exchange.sent).toBeLessThan(body.length);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 408 and closes the connection when the headers trickle in', async () => {
    const head = postHead({ authorization: `Bearer ${key}`, contentLength: 2 });
    const exchange = await rawRequest(port, {
      head: head.slice(0, 40),
      bodyBytes: 1000,
      pace: 'trickle',
    });
    expect(exchange.status).toBe(408);
    expect(exchange.closedByProxy).toBe(true);
  });

  it('closes a connection that never sends a request, and it does not hold up shutdown', async () => {
    const silent = net.connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await new Promise((resolve) => silent.once('connect', resolve));
    // Node's own header timeout never starts for it: before, it stayed open for good.
    await closed;
    expect(silent.destroyed).toBe(true);

    // A shutdown closes such connections at once instead of waiting out SHUTDOWN_TIMEOUT.
    const other = build({ db, env: { consolePort: 3001, shutdownTimeoutSeconds: 600 } });
    await other.listen({ port: 0, host: '127.0.0.1' });
    const idle = net.connect((other.server.address() as net.AddressInfo).port, '127.0.0.1');
    idle.on('error', () => undefined);
    await new Promise((resolve) => idle.once('connect', resolve));
    const closing = other.close();
    await new Promise<void>((resolve) => idle.once('close', () => resolve()));
    await closing;
  });

  it('lets an answer stream for longer than the limit once the request has arrived', async () => {
    upstream.streamDelayMs(300); // eight words and usage: about 2.7 s
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'take your time' }],
        }),
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('eight');
      expect(text).toContain('data: [DONE]');
    } finally {
      upstream.reset();
    }
  });
});
