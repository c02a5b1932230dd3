import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultBalances, type FakeBalances } from './fake-balances.js';
import { answer, checksOwnCredentials, sendFailure, type StreamSettings } from './fake-routes.js';
import type { StreamFraming } from './fake-sse.js';
import { parseMultipart, recordForm, type RecordedForm } from './multipart.js';

export type { FakeBalances } from './fake-balances.js';

/**
 * The fake OpenAI-compatible upstream: the only fake in the project's tests. It answers
 * POST /v1/chat/completions (text or, when offered tools, a tool call; streamed or not),
 * /v1/completions, /v1/embeddings, /v1/moderations, /v1/images/generations, /v1/images/edits,
 * /v1/rerank, /v1/audio/speech, /v1/audio/transcriptions, /v1/audio/translations,
 * GET /v1/models and the balance endpoints of the providers the console reads. Paths match by
 * their end, so Azure's /openai/deployments/<d>/… works too. Token counts follow fake-tokens.ts.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. `/v1/chat/completions`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** The body's bytes exactly as they arrived. */
  rawBody: Buffer;
  /** The fields and files of a multipart/form-data upload. */
  form?: RecordedForm;
  /** The usage the answer reported, if it reported one (see fake-tokens.ts for the rules). */
  usage?: FakeReportedUsage;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  /** How a stream ended, once it has: every event written, dropped by the fake, or closed. */
  streamEnd?: 'finished' | 'dropped' | 'closed';
}

/** Text answers report tokens, embeddings prompt tokens only, audio its duration. */
export interface FakeReportedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** Prompt tokens read from (cached_tokens) and written to the upstream's prompt cache. */
  prompt_tokens_details?: { cached_tokens: number; cache_write_tokens?: number };
  type?: 'duration';
  seconds?: number;
}

/** An OpenAI-shaped error answer: `{error:{message,type,code}}` with this status. */
export interface FakeFailure {
  status: number;
  message: string;
  type?: string;
  code?: string | null;
}

/**
 * What a request meets instead of an answer: an error, a dropped connection, silence, or a
 * 200 whose connection breaks halfway through its body (`cut-body`).
 */
export type FakeMishap = FakeFailure | 'drop' | 'hang' | 'cut-body';

export interface FakeUpstreamOptions {
  /** Keys it accepts (`Authorization: Bearer` or Azure's `api-key`); unset = any. */
  keys?: string[];
  models?: string[];
  /** The assistant's answer, cut to max_tokens words. */
  reply?: string;
  /** The arguments of the tool call it answers requests offering tools with. */
  toolArguments?: string;
  /** What every transcription and translation says. */
  transcript?: string;
}

export interface FakeUpstream {
  /** The base URL to store in a channel (no /v1). */
  url: string;
  requests: RecordedRequest[];
  /** What the balance endpoints report; change freely between calls. */
  balances: FakeBalances;
  /** How many requests their clients gave up on before the answer was complete. */
  readonly abortedRequests: number;
  /** Resolves once that many requests have been given up on by their clients. */
  waitForAborts(count?: number): Promise<void>;

  /** Every following request gets this error, until reset(). */
  fail(failure: FakeFailure): void;
  /** Every following request waits this long before answering, until reset(). */
  slow(delayMs: number): void;
  /** Every following request has its connection destroyed without an answer, until reset(). */
  dropConnections(): void;
  /** Every following request is read and never answered, until reset(): for timeouts. */
  hangBeforeHeaders(): void;
  /** The next `times` requests meet this instead of the behaviour above; calls queue up. */
  failNext(mishap: FakeMishap, times?: number): void;

  /** Line endings, write slices and keep-alive comments of every stream. */
  streamFraming(framing: StreamFraming): void;
  /** Pause between stream events: a slow stream. */
  streamDelayMs(ms: number): void;
  /** Destroy a stream's connection after this many events (`[DONE]` counts). */
  dropStreamAfter(events: number): void;
  /** Never report usage, even when asked for it. */
  omitUsage(): void;
  /** Put stream usage on the finish chunk rather than a chunk of its own. */
  usageOnLastContentChunk(): void;
  /**
   * After this many events a stream reports `failure` in its provider's in-stream error form
   * (OpenAI `data: {"error":…}`, Anthropic `event: error`, a Bedrock exception frame) and ends.
   */
  failStreamAfter(events: number, failure: FakeFailure): void;

  /** Default behaviour again, an empty request log and no queued mishaps. */
  reset(): void;
  close(): Promise<void>;
}

interface Mode {
  failure?: FakeFailure;
  delayMs?: number;
  drop?: boolean;
  hang?: boolean;
  cutBody?: boolean;
}

const defaultSettings = (): StreamSettings => ({
  framing: { lineEnding: '\n' },
  eventDelayMs: 0,
  omitUsage: false,
  usageOnFinishChunk: false,
});

/** A real HTTP server on 127.0.0.1 speaking OpenAI's wire format, for tests. */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const shutdown = new AbortController();
  const dropped = new WeakSet<ServerResponse>();
  const abortWaiters = new Set<() => void>();
  const queue: FakeMishap[] = [];
  let mode: Mode = {};
  let ids = 0;
  const abortedCount = () => requests.filter((r) => r.aborted).length;

  const ctx = {
    reply: options.reply ?? 'Hello from the fake upstream.',
    toolArguments: options.toolArguments ?? '{"location": "Paris, France"}',
    transcript: options.transcript ?? 'The quick brown fox jumped over the lazy dog.',
    models: options.models ?? ['gpt-4o', 'gpt-4o-mini'],
    balances: defaultBalances(),
    settings: defaultSettings(),
    nextId: (prefix: string) => `${prefix}${++ids}`,
    signal: shutdown.signal,
    drop: (res: ServerResponse) => {
      dropped.add(res);
      res.destroy();
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = await recordRequest(req);
    requests.push(record);
    res.once('close', () => {
      if (res.writableFinished || dropped.has(res) || shutdown.signal.aborted) return;
      record.aborted = true;
      for (const check of [...abortWaiters]) check();
    });
    const next = queue.shift();
    const { failure, delayMs, drop, hang, cutBody } = next === undefined ? mode : asMode(next);
    if (drop) return ctx.drop(res);
    if (cutBody) {
      const body = '{"id":"chatcmpl-cut","object":"chat.completion","choices":[';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length * 2 });
      res.write(body, () => ctx.drop(res));
      return;
    }
    // Never answered: the client's timeout or abort ends it, or close().
    if (hang) return;
    if (delayMs) await sleep(delayMs, undefined, { signal: shutdown.signal });
    if (res.destroyed) return;
    if (failure) return sendFailure(record, res, failure);

    const presented = presentedKey(req.headers, record.url);
    const refused = options.keys && presented !== undefined && !options.keys.includes(presented);
    if (refused && !checksOwnCredentials(record)) {
      // Some upstreams echo the key they refused; callers must keep it out of their errors.
      return sendFailure(record, res, {
        status: 401,
        message: `Incorrect API key provided: ${presented}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    await answer(ctx, record, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get balances() {
      return ctx.balances;
    },
    set balances(balances) {
      ctx.balances = balances;
    },
    get abortedRequests() {
      return abortedCount();
    },
    waitForAborts: (count = 1) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (abortedCount() < count) return;
          abortWaiters.delete(check);
          resolve();
        };
        abortWaiters.add(check);
        check();
      }),
    fail: (failure) => void (mode = { failure }),
    slow: (delayMs) => void (mode = { delayMs }),
    dropConnections: () => void (mode = { drop: true }),
    hangBeforeHeaders: () => void (mode = { hang: true }),
    failNext: (mishap, times = 1) => {
      for (let i = 0; i < times; i += 1) queue.push(mishap);
    },
    streamFraming: (framing) => void (ctx.settings.framing = framing),
    streamDelayMs: (ms) => void (ctx.settings.eventDelayMs = ms),
    dropStreamAfter: (events) => void (ctx.settings.dropAfterEvents = events),
    omitUsage: () => void (ctx.settings.omitUsage = true),
    usageOnLastContentChunk: () => void (ctx.settings.usageOnFinishChunk = true),
    failStreamAfter: (events, failure) => void (ctx.settings.errorAfter = { events, failure }),
    reset: () => {
      mode = {};
      queue.length = 0;
      ctx.settings = defaultSettings();
      requests.length = 0;
    },
    close: async () => {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function asMode(mishap: FakeMishap): Mode {
  if (mishap === 'drop') return { drop: true };
  if (mishap === 'hang') return { hang: true };
  if (mishap === 'cut-body') return { cutBody: true };
  return { failure: mishap };
}

async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  const form = contentType.startsWith('multipart/form-data')
    ? recordForm(parseMultipart(rawBody, contentType))
    : undefined;
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    headers: req.headers,
    body: parseBody(rawBody.toString('utf8')),
    rawBody,
    ...(form ? { form } : {}),
    aborted: false,
  };
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/**
 * The API key a request carries, in any provider's place for it: a bearer token, Azure's
 * `api-key`, Anthropic's `x-api-key`, Gemini's `x-goog-api-key` or `?key=`. Undefined for
 * requests that authenticate otherwise (a SigV4 signature): their routes check those.
 */
function presentedKey(headers: IncomingHttpHeaders, url: string): string | undefined {
  if (/^AWS4-HMAC-SHA256 /.test(headers.authorization ?? '')) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  for (const name of ['api-key', 'x-api-key', 'x-goog-api-key']) {
    const value = headers[name];
    if (typeof value === 'string') return value;
  }
  return new URL(url, 'http://fake').searchParams.get('key') ?? '';
}
