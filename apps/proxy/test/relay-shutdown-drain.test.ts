import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countText } from '@chat-api/billing';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type TestDatabase } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { freePort } from './loopback.js';

/**
 * The scenario: SIGTERM while 30 s streams run in batch mode (BATCH_UPDATE_ENABLED) must
 * exit 0 with every delivered token billed. Scaled down to keep the suite quick: the streams last
 * ~3 s, and the cut case sets SHUTDOWN_TIMEOUT to 1 s. A real proxy process (its dist build) on
 * a SQLite file; batches are due only every 30 s, so everything billed is written at shutdown.
 */

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const MODEL = 'gpt-4o-mini';
const REPLY = Array.from({ length: 12 }, (_, i) => `word${i + 1}`).join(' ');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** How the test stops the proxy: signals, and pauses between them. */
type Stop = (NodeJS.Signals | { pauseMs: number })[];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(testDb: TestDatabase): Promise<Database> {
  return openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
}

/** What a streaming client got: the text of its content deltas and the events it read. */
interface StreamRead {
  text: string;
  done: boolean;
  errorCode: string | undefined;
}

function readEvents(raw: string): StreamRead {
  const read: StreamRead = { text: '', done: false, errorCode: undefined };
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = line.slice('data: '.length).trim();
    if (data === '[DONE]') {
      read.done = true;
      continue;
    }
    const event = JSON.parse(data) as {
      choices?: { delta?: { content?: string } }[];
      error?: { code?: string };
    };
    read.text += event.choices?.[0]?.delta?.content ?? '';
    read.errorCode ??= event.error?.code;
  }
  return read;
}

describe('SIGTERM during streams with BATCH_UPDATE_ENABLED', () => {
  let testDb: TestDatabase;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await startFakeUpstream({ reply: REPLY });
    upstream.streamDelayMs(250); // 12 words and usage: each stream lasts about 3 s
  });
  afterAll(async () => {
    await upstream?.close();
  });

  async function runProxy(shutdownTimeout: number, stop: Stop) {
    testDb = await createTestDatabase('sqlite');
    const db = await open(testDb);
    const user = await db.repos.users.create({
      username: 'drained',
      password: 'password-123',
      quota: 10_000_000,
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'drain',
      remainQuota: 5_000_000,
      unlimitedQuota: false,
    });
    await db.repos.channels.create({
      type: 'openai-compatible',
      name: 'fake',
      key: 'sk-upstream',
      baseUrl: upstream.url,
      models: [MODEL],
    });
    await db.close();

    const port = await freePort();
    const proxy = spawn(process.execPath, [SERVER], {
      env: {
        PATH: process.env.PATH ?? '',
        ...testDb.env,
        PROXY_PORT: String(port),
        HOST: '127.0.0.1',
        BATCH_UPDATE_ENABLED: 'true',
        BATCH_UPDATE_INTERVAL: '30',
        SHUTDOWN_TIMEOUT: String(shutdownTimeout),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proxy.on('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        if (i > 200) throw new Error('the proxy did not start');
      }
      await sleep(50);
    }

    const post = (stream: boolean) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: MODEL,
          stream,
          messages: [{ role: 'user', content: 'tell me twelve words' }],
        }),
      });

    // Three answered requests whose bills wait for a batch that is not due before shutdown.
    for (let i = 0; i < 3; i++) expect((await post(false)).status).toBe(200);

    // Four streams, each read as it arrives; the signal comes once all of them have started.
    let started = 0;
    let allStarted!: () => void;
    const streaming = new Promise<void>((resolve) => (allStarted = resolve));
    const streams = Array.from({ length: 4 }, async (): Promise<StreamRead> => {
      const response = await post(true);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let raw = '';
      let first = true;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          raw += decoder.decode(value, { stream: true });
          if (first && raw.includes('"content"')) {
            first = false;
            if (++started === 4) allStarted();
          }
        }
      } catch {
        // The connection closed after the cut's error event: what arrived is what counts.
      }
      return readEvents(raw);
    });
    await streaming;
    for (const step of stop) {
      if (typeof step === 'object') {
        await sleep(step.pauseMs);
        continue;
      }
      proxy.kill(step);
      while (!output.includes('shutting down')) await sleep(20);
    }

    // Once the drain began, nothing new is answered (refused, 503, or the connection closes).
    const late = await post(false).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(late).not.toBe(200);

    const reads = await Promise.all(streams);
    const code = await exited;

    const after = await open(testDb);
    try {
      const { items } = await after.repos.logs.list({ type: 2, page: 1, pageSize: 100 });
      const logs = await after.repos.logs.stats({ userId: user.id, type: 2 });
      const tokenAfter = await after.repos.tokens.get(token.id);
      const userAfter = await after.repos.users.findById(user.id);
      return { code, output, reads, items, logs, tokenAfter, userAfter };
    } finally {
      await after.close();
      await testDb.drop();
    }
  }

  it('lets streams shorter than SHUTDOWN_TIMEOUT finish and bills them and the waiting batch in full', async () => {
    // `npm start` hands Ctrl-C on to a proxy that also got it from the terminal: one stop, not two.
    const run = await runProxy(20, ['SIGINT', 'SIGINT']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain('cutting');
    for (const read of run.reads) {
      expect(read).toEqual({ text: REPLY, done: true, errorCode: undefined });
    }
    expect(run.items).toHaveLength(7);
    const streamed = run.items.filter((log) => log.isStream);
    expect(streamed).toHaveLength(4);
    for (const log of streamed) {
      expect(log.completionTokens).toBe(12);
      expect(log.other).not.toContain('streamEnd');
    }
    expect(run.logs.requests).toBe(7);
    expect(run.tokenAfter?.usedQuota).toBe(run.logs.quota);
    expect(run.userAfter?.usedQuota).toBe(run.logs.quota);
    expect(run.userAfter?.requestCount).toBe(7);
  }, 60_000);

  it('cuts streams still open at SHUTDOWN_TIMEOUT and bills each for what it delivered', async () => {
    const run = await runProxy(1, ['SIGTERM']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('cutting 4 streams');
    for (const read of run.reads) {
      // The client reads why its answer stopped; it got part of the text, not all of it.
      expect(read.errorCode).toBe('server_shutting_down');
      expect(read.done).toBe(false);
      expect(read.text.length).toBeGreaterThan(0);
      expect(REPLY.startsWith(read.text)).toBe(true);
      expect(read.text).not.toBe(REPLY);
    }
    expect(run.items).toHaveLength(7);
    const streamed = run.items.filter((log) => log.isStream);
    expect(streamed).toHaveLength(4);
    // Every delivered token billed, and only those: the bills match the texts the clients got.
    const billed = streamed.map((log) => log.completionTokens).sort((a, b) => a - b);
    const delivered = run.reads.map((read) => countText(read.text, MODEL)).sort((a, b) => a - b);
    expect(billed).toEqual(delivered);
    for (const log of streamed) {
      expect(JSON.parse(log.other ?? '{}')).toMatchObject({
        streamEnd: 'shutdown',
        usageCounted: true,
      });
      expect(log.quota).toBeGreaterThan(0);
    }
    expect(run.logs.requests).toBe(7);
    expect(run.tokenAfter?.usedQuota).toBe(run.logs.quota);
    expect(run.userAfter?.usedQuota).toBe(run.logs.quota);
  }, 60_000);

  it('exits at once, with code 1, on a second signal a while after the first', async () => {
    const run = await runProxy(20, ['SIGTERM', { pauseMs: 1200 }, 'SIGTERM']);
    expect(run.code).toBe(1);
    expect(run.output).toContain('SIGTERM received again');
    for (const read of run.reads) expect(read.done).toBe(false);
  }, 60_000);
});
