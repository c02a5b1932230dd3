import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamCodec, type Message } from '@smithy/core/event-streams';
import { endsWithToolResult } from './fake-answer.js';
import { fakeUsage, recordedUsage, type Usage } from './fake-anthropic.js';
import { fakeWords } from './fake-tokens.js';
import type { ProviderRoute, RouteContext } from './fake-routes.js';
import { write } from './fake-sse.js';
import type { FakeFailure, FakeUpstream, RecordedRequest } from './fake-upstream.js';
import { verifySigV4 } from './fake-sigv4.js';

/** The AWS credentials and region a fake Bedrock accepts signatures for. */
export interface FakeBedrockAccount {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Signed requests must carry this `x-amz-security-token` too. */
  sessionToken?: string;
}

const PATH = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/;
const accounts = new Map<string, FakeBedrockAccount>();

/**
 * Makes a fake upstream answer Bedrock Runtime's `POST /model/{id}/invoke` and
 * `/invoke-with-response-stream` for requests signed with this account (unsigned or wrongly
 * signed ones get Bedrock's 403s). Requests to a fake never configured are refused too.
 */
export function configureFakeBedrock(fake: FakeUpstream, account: FakeBedrockAccount): void {
  accounts.set(new URL(fake.url).host, account);
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

export const fakeBedrockRoute: ProviderRoute = {
  matches: (record) => record.method === 'POST' && PATH.test(pathOf(record)),
  answer: async (ctx, record, res) => {
    const account = accounts.get(record.headers.host ?? '');
    const refusal = account
      ? verifySigV4(record.method, record.url, record.headers, record.rawBody, {
          ...account,
          service: 'bedrock',
        })
      : {
          type: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        };
    if (refusal) return sendBedrockError(res, 403, refusal.type, refusal.message);
    if (account?.sessionToken && record.headers['x-amz-security-token'] !== account.sessionToken) {
      return sendBedrockError(
        res,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    const problem = bodyProblem(record.body);
    if (problem) return sendBedrockError(res, 400, 'ValidationException', problem);
    const [, , action] = PATH.exec(pathOf(record))!;
    const body = record.body as BedrockBody;
    const reply = fakeReply(ctx, body);
    // Claude on Bedrock counts, and caches `cache_control` prefixes, as Anthropic does.
    const usage = fakeUsage(ctx, body as unknown as Record<string, unknown>, reply.outputTokens);
    const id = ctx.nextId('msg_bdrk_fake');
    if (!ctx.settings.omitUsage) record.usage = recordedUsage(usage);
    if (action === 'invoke') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          type: 'message',
          role: 'assistant',
          model: 'claude-fake',
          content: [reply.block],
          stop_reason: reply.stopReason,
          stop_sequence: null,
          usage: ctx.settings.omitUsage ? undefined : usage,
        }),
      );
      return;
    }
    await streamEvents(ctx, record, res, streamedEvents(id, reply, usage, ctx));
  },
  sendError: (res, failure) =>
    sendBedrockError(res, failure.status, exceptionType(failure), failure.message),
};

interface BedrockBody {
  anthropic_version: string;
  max_tokens: number;
  messages: { role: string; content: unknown }[];
  system?: unknown;
  tools?: unknown;
  tool_choice?: { type?: unknown };
}

/** What Bedrock's validation would refuse in an Anthropic body; undefined when it is fine. */
function bodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'Malformed input request: the body is not a JSON object.';
  const b = body as Record<string, unknown>;
  if (b.anthropic_version !== 'bedrock-2023-05-31')
    return 'Malformed input request: anthropic_version must be bedrock-2023-05-31.';
  if ('model' in b) return 'Malformed input request: extraneous key [model] is not permitted.';
  if ('stream' in b) return 'Malformed input request: extraneous key [stream] is not permitted.';
  if (!Number.isInteger(b.max_tokens) || (b.max_tokens as number) < 1)
    return 'Malformed input request: max_tokens must be a positive integer.';
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    return 'Malformed input request: messages must be a non-empty array.';
  for (const message of b.messages as unknown[]) {
    const m = message as { role?: unknown; content?: unknown } | null;
    if (m?.role !== 'user' && m?.role !== 'assistant')
      return 'Malformed input request: a message role must be user or assistant.';
    if (typeof m.content !== 'string' && !Array.isArray(m.content))
      return 'Malformed input request: a message content must be a string or an array.';
  }
  return undefined;
}

interface FakeReply {
  block:
    { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };
  /** The streamed deltas: the words of the text, or of the tool call's input JSON. */
  pieces: string[];
  stopReason: 'end_turn' | 'max_tokens' | 'tool_use';
  outputTokens: number;
}

/**
 * What the fake answers, by the rules of fake-tokens.ts: the reply cut to max_tokens words, or,
 * when tools are offered (tool_choice not none, the last message not a tool result), a call
 * of the first one with the fake's tool arguments (as many output tokens as their words).
 */
function fakeReply(ctx: RouteContext, body: BedrockBody): FakeReply {
  // As Claude: tool_choice none offers the tools but calls none of them.
  const tool =
    Array.isArray(body.tools) &&
    body.tool_choice?.type !== 'none' &&
    !endsWithToolResult(body.messages)
      ? (body.tools[0] as { name?: unknown } | undefined)
      : undefined;
  if (tool && typeof tool.name === 'string') {
    const words = fakeWords(ctx.toolArguments);
    return {
      block: {
        type: 'tool_use',
        id: ctx.nextId('toolu_bdrk_fake'),
        name: tool.name,
        input: JSON.parse(ctx.toolArguments) as unknown,
      },
      pieces: withSpaces(words),
      stopReason: 'tool_use',
      outputTokens: words.length,
    };
  }
  const all = fakeWords(ctx.reply);
  const words = all.slice(0, body.max_tokens);
  return {
    block: { type: 'text', text: words.join(' ') },
    pieces: withSpaces(words),
    stopReason: words.length < all.length ? 'max_tokens' : 'end_turn',
    outputTokens: words.length,
  };
}

function withSpaces(words: string[]): string[] {
  return words.map((word, i) => (i === 0 ? word : ` ${word}`));
}

/** Anthropic's stream events for the reply, one delta per word, as Bedrock relays them. */
function streamedEvents(id: string, reply: FakeReply, usage: Usage, ctx: RouteContext): object[] {
  const withUsage = !ctx.settings.omitUsage;
  return [
    {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-fake',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: withUsage ? { ...usage, output_tokens: 1 } : undefined,
      },
    },
    {
      type: 'content_block_start',
      index: 0,
      content_block:
        reply.block.type === 'text' ? { type: 'text', text: '' } : { ...reply.block, input: {} },
    },
    ...reply.pieces.map((piece) => ({
      type: 'content_block_delta',
      index: 0,
      delta:
        reply.block.type === 'text'
          ? { type: 'text_delta', text: piece }
          : { type: 'input_json_delta', partial_json: piece },
    })),
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: withUsage ? { output_tokens: usage.output_tokens } : undefined,
    },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': withUsage
        ? {
            inputTokenCount: usage.input_tokens,
            outputTokenCount: usage.output_tokens,
            invocationLatency: 1,
            firstByteLatency: 1,
          }
        : undefined,
    },
  ];
}

/** Each event as a `chunk` message of AWS's binary event stream, honouring the fake's controls. */
async function streamEvents(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  events: object[],
) {
  const { eventDelayMs, dropAfterEvents, errorAfter } = ctx.settings;
  const frames = events.map(chunkFrame);
  const sent = errorAfter
    ? [
        ...frames.slice(0, errorAfter.events),
        exceptionFrame(
          exceptionType(errorAfter.failure, 'modelStreamErrorException'),
          errorAfter.failure.message,
        ),
      ]
    : frames;
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-content-type': 'application/json',
  });
  res.flushHeaders();
  const split = ctx.settings.framing.splitEvery;
  for (let index = 0; index <= sent.length; index += 1) {
    if (index === dropAfterEvents) {
      ctx.drop(res);
      record.streamEnd = 'dropped';
      return;
    }
    const frame = sent[index];
    if (frame === undefined) break;
    if (index > 0 && eventDelayMs > 0) await sleep(eventDelayMs, undefined, { signal: ctx.signal });
    const step = Math.max(1, split ?? frame.length);
    for (let at = 0; at < frame.length; at += step) {
      if (res.destroyed) {
        record.streamEnd = 'closed';
        return;
      }
      await write(res, frame.subarray(at, at + step));
    }
  }
  res.end();
  record.streamEnd = 'finished';
}

export function chunkFrame(event: object): Buffer {
  const bytes = Buffer.from(JSON.stringify(event)).toString('base64');
  return encode({
    headers: {
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: Buffer.from(JSON.stringify({ bytes })),
  });
}

export function exceptionFrame(type: string, message: string): Buffer {
  return encode({
    headers: {
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: Buffer.from(JSON.stringify({ message })),
  });
}

function encode(message: Message): Buffer {
  return Buffer.from(codec.encode(message));
}

function exceptionType(failure: FakeFailure, fallback?: string): string {
  if (failure.code) return failure.code;
  if (fallback) return fallback;
  if (failure.status === 429) return 'ThrottlingException';
  if (failure.status === 404) return 'ResourceNotFoundException';
  if (failure.status === 403) return 'AccessDeniedException';
  if (failure.status === 400) return 'ValidationException';
  if (failure.status === 424) return 'ModelErrorException';
  if (failure.status === 503) return 'ServiceUnavailableException';
  return 'InternalServerException';
}

/** Bedrock's error answer: the type in a header, `{"message":…}` in the body. */
function sendBedrockError(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  res.end(JSON.stringify({ message }));
}

function pathOf(record: RecordedRequest): string {
  return new URL(record.url, 'http://fake').pathname;
}
