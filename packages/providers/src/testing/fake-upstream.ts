import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. `/v1/chat/completions`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

/** An OpenAI-shaped error answer: `{error:{message,type,code}}` with this status. */
export interface FakeFailure {
  status: number;
  message: string;
  type?: string;
  code?: string | null;
}

export interface FakeBalances {
  openai: { hardLimitUsd: number; totalUsageCents: number; hasPaymentMethod: boolean };
  deepseek: { currency: string; totalBalance: string }[];
  openrouter: { totalCredits: number; totalUsage: number };
  siliconflow: { totalBalance: string };
}

export interface FakeUpstreamOptions {
  /** Keys it accepts (`Authorization: Bearer` or Azure's `api-key`); unset = any. */
  keys?: string[];
  models?: string[];
  /** The assistant's answer, cut to max_tokens words. */
  reply?: string;
}

export interface FakeUpstream {
  /** The base URL to store in a channel (no /v1). */
  url: string;
  requests: RecordedRequest[];
  /** What the balance endpoints report; change freely between calls. */
  balances: FakeBalances;
  /** Every following request gets this error, until reset(). */
  fail(failure: FakeFailure): void;
  /** Every following request waits this long before answering, until reset(). */
  slow(delayMs: number): void;
  /** Every following request has its connection destroyed without an answer, until reset(). */
  dropConnections(): void;
  /** Normal answers again, and an empty request log. */
  reset(): void;
  close(): Promise<void>;
}

interface Behaviour {
  failure?: FakeFailure;
  delayMs?: number;
  drop?: boolean;
}

const defaultBalances = (): FakeBalances => ({
  openai: { hardLimitUsd: 120, totalUsageCents: 2050, hasPaymentMethod: true },
  deepseek: [
    { currency: 'CNY', totalBalance: '110.00' },
    { currency: 'USD', totalBalance: '15.50' },
  ],
  openrouter: { totalCredits: 50, totalUsage: 12.25 },
  siliconflow: { totalBalance: '88.80' },
});

/** A real HTTP server on 127.0.0.1 speaking OpenAI's wire format, for tests. */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const shutdown = new AbortController();
  let behaviour: Behaviour = {};
  let completions = 0;

  const fake: Omit<FakeUpstream, 'url' | 'close'> = {
    requests,
    balances: defaultBalances(),
    fail: (failure) => void (behaviour = { failure }),
    slow: (delayMs) => void (behaviour = { delayMs }),
    dropConnections: () => void (behaviour = { drop: true }),
    reset: () => {
      behaviour = {};
      requests.length = 0;
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = parseBody(raw);
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const { failure, delayMs, drop } = behaviour;
    if (drop) return void req.socket.destroy();
    if (delayMs) await sleep(delayMs, undefined, { signal: shutdown.signal });
    if (res.destroyed) return;
    if (failure) return sendError(res, failure);

    const presented = presentedKey(req.headers);
    if (options.keys && !options.keys.includes(presented)) {
      // Some upstreams echo the key they refused; callers must keep it out of their errors.
      return sendError(res, {
        status: 401,
        message: `Incorrect API key provided: ${presented}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const answer = route(req.method ?? '', path, body);
    if (answer) return sendJson(res, 200, answer);
    sendError(res, {
      status: 404,
      message: `Unknown request URL: ${req.method} ${path}`,
      type: 'invalid_request_error',
      code: 'unknown_url',
    });
  }

  function route(method: string, path: string, body: unknown): object | undefined {
    const { openai, deepseek, openrouter, siliconflow } = fake.balances;
    if (method === 'POST' && path.endsWith('/chat/completions')) {
      return completion(body, options.reply ?? 'Hello from the fake upstream.', ++completions);
    }
    if (method !== 'GET') return undefined;
    if (path.endsWith('/models')) {
      const models = options.models ?? ['gpt-4o', 'gpt-4o-mini'];
      return {
        object: 'list',
        data: models.map((id) => ({
          id,
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'fake',
        })),
      };
    }
    if (path.endsWith('/dashboard/billing/subscription')) {
      return {
        object: 'billing_subscription',
        has_payment_method: openai.hasPaymentMethod,
        hard_limit_usd: openai.hardLimitUsd,
        soft_limit_usd: openai.hardLimitUsd,
        system_hard_limit_usd: openai.hardLimitUsd,
        access_until: 0,
      };
    }
    if (path.endsWith('/dashboard/billing/usage')) {
      return { object: 'list', total_usage: openai.totalUsageCents };
    }
    if (path.endsWith('/user/balance')) {
      return {
        is_available: true,
        balance_infos: deepseek.map((info) => ({
          currency: info.currency,
          total_balance: info.totalBalance,
          granted_balance: '0.00',
          topped_up_balance: info.totalBalance,
        })),
      };
    }
    if (path.endsWith('/credits')) {
      return {
        data: { total_credits: openrouter.totalCredits, total_usage: openrouter.totalUsage },
      };
    }
    if (path.endsWith('/user/info')) {
      const { totalBalance } = siliconflow;
      return {
        code: 20000,
        message: 'OK',
        status: true,
        data: { id: 'fake', name: 'fake', balance: totalBalance, totalBalance, status: 'normal' },
      };
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A chat.completion with usage, its answer cut to max_tokens words. */
function completion(body: unknown, reply: string, n: number) {
  const request = (body ?? {}) as {
    model?: string;
    messages?: { content?: unknown }[];
    max_tokens?: number;
    max_completion_tokens?: number;
  };
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const words = reply.split(' ');
  const answer = limit === undefined ? words : words.slice(0, limit);
  const promptTokens = (request.messages ?? [])
    .map((message) => (typeof message.content === 'string' ? message.content : ''))
    .reduce((sum, text) => sum + 3 + text.split(/\s+/).filter(Boolean).length, 0);
  return {
    id: `chatcmpl-fake${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? 'unknown',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.join(' ') },
        logprobs: null,
        finish_reason: answer.length < words.length ? 'length' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: answer.length,
      total_tokens: promptTokens + answer.length,
    },
  };
}

function presentedKey(headers: IncomingHttpHeaders): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const apiKey = headers['api-key'];
  return bearer ?? (typeof apiKey === 'string' ? apiKey : '');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, failure: FakeFailure): void {
  sendJson(res, failure.status, {
    error: {
      message: failure.message,
      type: failure.type ?? 'api_error',
      param: null,
      code: failure.code ?? null,
    },
  });
}
