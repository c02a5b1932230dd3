import type { ServerResponse } from 'node:http';
import { endsWithToolResult, replyPieces, wordPieces } from './fake-answer.js';
import { messagesRequestProblem } from './fake-anthropic-request.js';
import type { ProviderRoute, RouteContext } from './fake-routes.js';
import { NamedEvent, writeSse } from './fake-sse.js';
import { fakeChatPromptTokens, fakeWords } from './fake-tokens.js';
import type { FakeFailure, RecordedRequest } from './fake-upstream.js';

/**
 * The fake Anthropic: `POST …/v1/messages` (a query string such as `?beta=true` is fine),
 * checking headers and body as the Messages API does and answering in its JSON or SSE.
 *
 * Token rules (fake-tokens.ts adapted to Messages):
 * - Prompt: the words of `system` (a string or its text blocks), plus for each message 3 and the
 *   words of its text (a string content or its `text` blocks); images, tools and tool results
 *   cost nothing.
 * - Completion: the words of the thinking text when thinking is enabled, plus the reply's words
 *   after the `max_tokens` cut, or the words of the tool call's input JSON.
 * - Prompt cache: the text blocks up to and including the last block carrying `cache_control`
 *   (system first, then the messages) are the cached prefix. The first time a fake sees a
 *   prefix it reports its words as `cache_creation_input_tokens`, later as
 *   `cache_read_input_tokens`; `input_tokens` is the rest of the prompt. (The real API caches
 *   only prefixes of 1024 tokens or more; the fake caches any.)
 * Anthropic always reports usage, so the fake's omitUsage setting does not apply here.
 */

/** The thinking the fake streams before its answer when thinking is enabled. */
export const FAKE_THINKING = 'Let me think about the answer.';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
const KNOWN_TYPES = new Set(Object.values(ERROR_TYPES));

/** The prefixes each fake has cached, by its shared context (one per started fake). */
const caches = new WeakMap<RouteContext, Set<string>>();

type Json = Record<string, unknown>;

export interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

interface Reply {
  blocks: Json[];
  /** Per block, the streamed deltas. */
  deltas: Json[][];
  stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  outputTokens: number;
}

export const fakeAnthropicRoute: ProviderRoute = {
  matches: (record) =>
    record.method === 'POST' &&
    new URL(record.url, 'http://fake').pathname.endsWith('/v1/messages'),
  answer: async (ctx, record, res) => {
    if (!record.headers['x-api-key']) {
      return sendAnthropicError(res, 401, 'authentication_error', 'x-api-key header is required');
    }
    if (!record.headers['anthropic-version']) {
      return sendAnthropicError(
        res,
        400,
        'invalid_request_error',
        'anthropic-version: header is required',
      );
    }
    const problem = messagesRequestProblem(record.body);
    if (problem) return sendAnthropicError(res, 400, 'invalid_request_error', problem);
    const body = record.body as Json;
    const reply = fakeReply(ctx, body);
    const usage = fakeUsage(ctx, body, reply.outputTokens);
    record.usage = recordedUsage(usage);
    const message = {
      id: ctx.nextId('msg_fake'),
      type: 'message',
      role: 'assistant',
      model: String(body.model),
      content: reply.blocks,
      stop_reason: reply.stopReason,
      stop_sequence: null,
      usage,
    };
    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
      return;
    }
    await stream(ctx, record, res, streamEvents(message, reply, usage));
  },
  sendError: (res, failure) =>
    sendAnthropicError(res, failure.status, anthropicType(failure), failure.message),
};

function fakeReply(ctx: RouteContext, body: Json): Reply {
  const blocks: Json[] = [];
  const deltas: Json[][] = [];
  let outputTokens = 0;
  const thinking = body.thinking as Json | undefined;
  if (thinking?.type === 'enabled') {
    blocks.push({ type: 'thinking', thinking: FAKE_THINKING, signature: 'fake-signature' });
    deltas.push([
      ...wordPieces(FAKE_THINKING).map((piece) => ({ type: 'thinking_delta', thinking: piece })),
      { type: 'signature_delta', signature: 'fake-signature' },
    ]);
    outputTokens += fakeWords(FAKE_THINKING).length;
  }
  const tool = chosenTool(body);
  if (tool) {
    const pieces = wordPieces(ctx.toolArguments);
    blocks.push({
      type: 'tool_use',
      id: ctx.nextId('toolu_fake'),
      name: tool,
      input: JSON.parse(ctx.toolArguments) as unknown,
    });
    deltas.push(pieces.map((piece) => ({ type: 'input_json_delta', partial_json: piece })));
    return { blocks, deltas, stopReason: 'tool_use', outputTokens: outputTokens + pieces.length };
  }
  const { pieces, cut } = replyPieces(ctx.reply, (body.max_tokens as number) - outputTokens);
  blocks.push({ type: 'text', text: pieces.join('') });
  deltas.push(pieces.map((piece) => ({ type: 'text_delta', text: piece })));
  return {
    blocks,
    deltas,
    stopReason: cut ? 'max_tokens' : 'end_turn',
    outputTokens: outputTokens + pieces.length,
  };
}

/** The tool a request makes the fake call: the named one, else the first offered. */
function chosenTool(body: Json): string | undefined {
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const choice = body.tool_choice as Json | undefined;
  if (tools.length === 0 || choice?.type === 'none') return undefined;
  if (endsWithToolResult(body.messages)) return undefined;
  const name = choice?.type === 'tool' ? choice.name : tools[0]?.name;
  return typeof name === 'string' ? name : undefined;
}

/** A Claude answer's usage in OpenAI's terms, as tests read it from `record.usage`. */
export function recordedUsage(usage: Usage): NonNullable<RecordedRequest['usage']> {
  const prompt =
    usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
  const recorded: NonNullable<RecordedRequest['usage']> = {
    prompt_tokens: prompt,
    completion_tokens: usage.output_tokens,
    total_tokens: prompt + usage.output_tokens,
  };
  if (usage.cache_read_input_tokens > 0 || usage.cache_creation_input_tokens > 0) {
    recorded.prompt_tokens_details = {
      cached_tokens: usage.cache_read_input_tokens,
      cache_write_tokens: usage.cache_creation_input_tokens,
    };
  }
  return recorded;
}

/** The usage of a Messages body by the fake's rules, prompt cache included (Bedrock's too). */
export function fakeUsage(ctx: RouteContext, body: Json, outputTokens: number): Usage {
  const prompt = fakeChatPromptTokens(body.messages) + textWords(blocksOf(body.system));
  const prefix = cachedPrefix(body);
  let seen = caches.get(ctx);
  if (!seen) caches.set(ctx, (seen = new Set()));
  const hit = prefix !== undefined && seen.has(prefix.key);
  if (prefix) seen.add(prefix.key);
  const cached = prefix?.tokens ?? 0;
  return {
    input_tokens: prompt - cached,
    cache_creation_input_tokens: prefix && !hit ? cached : 0,
    cache_read_input_tokens: hit ? cached : 0,
    output_tokens: outputTokens,
  };
}

/** The blocks up to the last `cache_control` mark, as a cache key and their words. */
function cachedPrefix(body: Json): { key: string; tokens: number } | undefined {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const all = [...blocksOf(body.system), ...messages.flatMap((m) => blocksOf(m?.content))];
  const last = all.findLastIndex((block) => typeof block.cache_control === 'object');
  if (last === -1) return undefined;
  const prefix = all.slice(0, last + 1);
  return { key: JSON.stringify(prefix), tokens: textWords(prefix) };
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content)
    ? (content as Json[]).filter((b) => typeof b === 'object' && b)
    : [];
}

function textWords(blocks: Json[]): number {
  return blocks.reduce<number>(
    (sum, block) =>
      sum +
      (block.type === 'text' && typeof block.text === 'string' ? fakeWords(block.text).length : 0),
    0,
  );
}

/** Anthropic's stream for a message: one delta per word, as the real API sends them. */
function streamEvents(message: Json, reply: Reply, usage: Usage): NamedEvent[] {
  const start = {
    ...message,
    content: [],
    stop_reason: null,
    usage: { ...usage, output_tokens: 1 },
  };
  const events = [new NamedEvent('message_start', { type: 'message_start', message: start })];
  reply.blocks.forEach((block, index) => {
    const opening =
      block.type === 'text'
        ? { type: 'text', text: '' }
        : block.type === 'thinking'
          ? { type: 'thinking', thinking: '', signature: '' }
          : { ...block, input: {} };
    events.push(
      new NamedEvent('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: opening,
      }),
    );
    if (index === 0) events.push(new NamedEvent('ping', { type: 'ping' }));
    for (const delta of reply.deltas[index] ?? []) {
      events.push(
        new NamedEvent('content_block_delta', { type: 'content_block_delta', index, delta }),
      );
    }
    events.push(new NamedEvent('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    new NamedEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    new NamedEvent('message_stop', { type: 'message_stop' }),
  );
  return events;
}

async function stream(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  events: NamedEvent[],
) {
  const { framing, eventDelayMs, dropAfterEvents, errorAfter } = ctx.settings;
  const drop = () => ctx.drop(res);
  const options = { framing, eventDelayMs, dropAfterEvents, signal: ctx.signal, drop };
  const sent = errorAfter
    ? [...events.slice(0, errorAfter.events), errorEvent(errorAfter.failure)]
    : events;
  record.streamEnd = await writeSse(res, sent, options);
}

/** An in-stream failure: Anthropic's `error` event; a 5xx of no named type is an overloaded API. */
function errorEvent(failure: FakeFailure): NamedEvent {
  const named = KNOWN_TYPES.has(failure.type ?? '');
  const type = failure.status >= 500 && !named ? 'overloaded_error' : anthropicType(failure);
  return new NamedEvent('error', { type: 'error', error: { type, message: failure.message } });
}

/** Anthropic's error type for a failure: its status decides, as with the real API. */
function anthropicType(failure: FakeFailure): string {
  const byStatus = ERROR_TYPES[failure.status];
  if (byStatus) return byStatus;
  if (failure.type && KNOWN_TYPES.has(failure.type)) return failure.type;
  return failure.status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** Anthropic's error answer: `{"type":"error","error":{type,message}}`. */
export function sendAnthropicError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ type: 'error', error: { type, message } }));
}
