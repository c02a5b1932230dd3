import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, consumeLogs, createKey, startGateway, type Gateway } from './harness.js';

// Hostile bodies and clients on every client format's route: a bad body is refused in that
// format's own error shape before anything is held or sent upstream; an odd one (NUL bytes, lone
// surrogates) is answered and billed like any other; a client that hangs up mid-stream cancels
// the upstream call and pays for what it received.

const MODEL = 'gpt-4o-mini';
/** The body limit of this gateway (MAX_REQUEST_BODY_MB), small so the test sends little. */
const LIMIT_BYTES = 64 * 1024;

interface Format {
  name: string;
  /** What the format's stream ends with when the gateway cuts it (its own error event). */
  cutMark: string;
  path: string;
  /** The same request, streamed. */
  streamPath: string;
  stream: boolean;
  /** A valid body whose user text is `text` and whose output limit is `limit`. */
  body(text: string, limit: unknown): Record<string, unknown>;
  /** What the format's error body looks like for this status, naming `words` in the message. */
  error(status: number, words: string): unknown;
}

const FORMATS: Format[] = [
  {
    name: 'Claude',
    cutMark: 'event: error',
    path: '/v1/messages',
    streamPath: '/v1/messages',
    stream: true,
    body: (text, limit) => ({
      model: MODEL,
      max_tokens: limit,
      messages: [{ role: 'user', content: text }],
    }),
    error: (status, words) => ({
      type: 'error',
      error: {
        type: status === 413 ? 'request_too_large' : 'invalid_request_error',
        message: expect.stringContaining(words) as unknown,
      },
    }),
  },
  {
    name: 'Responses',
    cutMark: 'event: response.failed',
    path: '/v1/responses',
    streamPath: '/v1/responses',
    stream: true,
    body: (text, limit) => ({ model: MODEL, max_output_tokens: limit, input: text }),
    error: (_status, words) => ({
      error: expect.objectContaining({ message: expect.stringContaining(words) as unknown }),
    }),
  },
  {
    name: 'Gemini',
    cutMark: '"error":',
    path: `/v1beta/models/${MODEL}:generateContent`,
    streamPath: `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`,
    stream: false,
    body: (text, limit) => ({
      contents: [{ role: 'user', parts: [{ text }] }],
      generationConfig: { maxOutputTokens: limit },
    }),
    error: (status, words) => ({
      error: {
        code: status,
        status: status === 413 ? expect.any(String) : 'INVALID_ARGUMENT',
        message: expect.stringContaining(words) as unknown,
      },
    }),
  },
];

describe.each(FORMATS)('hostile requests to a $name client route', (format) => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;
  let userId: number;

  beforeAll(async () => {
    gateway = await startGateway({ maxBodyBytes: LIMIT_BYTES, shutdownTimeoutSeconds: 1 });
    upstream = await startFakeUpstream({ reply: 'fine words stream in slowly one by one here' });
    await addChannel(gateway, { baseUrl: upstream.url, models: [MODEL] });
    const created = await createKey(gateway);
    key = created.key;
    userId = created.user.id;
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function post(body: string | Buffer) {
    const response = await fetch(`${gateway.base}${format.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  async function spent() {
    return (await gateway.db.repos.users.findById(userId))?.usedQuota ?? -1;
  }

  it('refuses a body over the limit with 413, never read whole', async () => {
    const huge = JSON.stringify(format.body('x'.repeat(LIMIT_BYTES * 4), 10));
    const answer = await post(huge);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject(format.error(413, '') as object);
    expect(upstream.requests).toEqual([]);
  });

  it('refuses malformed JSON and a body that is not an object, with 400', async () => {
    for (const body of ['{"model": ', '[1, 2]', '"text"']) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject(format.error(400, 'JSON') as object);
    }
    expect(upstream.requests).toEqual([]);
  });

  it.each([
    ['Infinity (1e999)', '1e999'],
    ['a negative', '-1'],
    ['a fraction', '1.5'],
    ['2^53 + 1', '9007199254740993'],
    ['a string', '"100"'],
  ])('refuses %s as the output limit with 400 naming the field', async (_name, limit) => {
    const before = await spent();
    // JSON.stringify cannot write 1e999 or 2^53 + 1: the number goes into the text as sent.
    const body = JSON.stringify(format.body('hi', 0)).replace(/:0([,}])/, `:${limit}$1`);
    expect(body).toContain(`:${limit}`);
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject(format.error(400, 'ax') as object);
    expect(upstream.requests).toEqual([]);
    expect(await spent()).toBe(before);
  });

  it('answers and bills text with NUL bytes and lone surrogates like any other', async () => {
    const answer = await post(JSON.stringify(format.body('a\u0000b \ud800 c', 20)));
    expect(answer.status).toBe(200);
    const logs = await consumeLogs(gateway, 1);
    expect(logs.some((log) => log.userId === userId && log.quota > 0)).toBe(true);
  });

  it('cancels the upstream call when the client hangs up mid-stream, and bills what it got', async () => {
    upstream.reset();
    upstream.streamDelayMs(150);
    const controller = new AbortController();
    const response = await fetch(`${gateway.base}${format.streamPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        ...format.body('stream please', 100),
        ...(format.stream ? { stream: true } : {}),
      }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('fine'))
      received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    // The fake's stream had many events to go: only the gateway hanging up can end it early.
    await upstream.waitForAborts(1);
    // Billed for the words delivered, counted, and marked as cut by the client.
    await expect
      .poll(async () => {
        const logs = await consumeLogs(gateway, 0);
        const log = logs.find((l) => l.userId === userId && l.isStream);
        return (
          log && {
            completionTokens: log.completionTokens > 0,
            other: JSON.parse(log.other ?? '{}') as unknown,
          }
        );
      })
      .toMatchObject({ completionTokens: true, other: { streamEnd: expect.any(String) } });
    upstream.reset();
  });

  // Last: it shuts the gateway down.
  it("ends a stream cut by shutdown with the format's own error, and bills what it delivered", async () => {
    upstream.reset();
    upstream.streamDelayMs(300);
    const response = await fetch(`${gateway.base}${format.streamPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        ...format.body('stream please', 100),
        ...(format.stream ? { stream: true } : {}),
      }),
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('fine')) received += decoder.decode((await reader.read()).value);
    // SIGTERM's close(): the stream has seconds to go, past SHUTDOWN_TIMEOUT (1 s).
    const closed = gateway.app.close();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += decoder.decode(value);
      }
    } catch {
      // The connection is closed once the error is written: the client's library raises then.
    }
    await closed;
    expect(received).toContain(format.cutMark);
    expect(received).not.toContain('here');
    const logs = await gateway.db.repos.logs.list({ type: 2, userId, page: 1, pageSize: 100 });
    const cut = logs.items.find((log) => JSON.parse(log.other ?? '{}').streamEnd === 'shutdown');
    expect(cut?.completionTokens).toBeGreaterThan(0);
  });
});
