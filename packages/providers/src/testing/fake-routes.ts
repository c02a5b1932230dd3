import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StreamingRequest, StreamUsage } from './fake-answer.js';
import { fakeSpeech, speechContentType, transcribe } from './fake-audio.js';
import { balanceAnswer, type FakeBalances } from './fake-balances.js';
import { answerChat, chatCompletion, chatCompletionChunks, type ChatRequest } from './fake-chat.js';
import {
  answerCompletion,
  textCompletion,
  textCompletionChunks,
  type CompletionRequest,
} from './fake-completions.js';
import { embeddings, images, modelList, moderation } from './fake-endpoints.js';
import { write, writeSse, type StreamFraming } from './fake-sse.js';
import type { FakeFailure, RecordedRequest } from './fake-upstream.js';

/** How streams and usage look; set per test through the fake's controls. */
export interface StreamSettings {
  framing: StreamFraming;
  eventDelayMs: number;
  dropAfterEvents?: number;
  omitUsage: boolean;
  usageOnFinishChunk: boolean;
}

export interface RouteContext {
  reply: string;
  toolArguments: string;
  transcript: string;
  models: string[];
  balances: FakeBalances;
  settings: StreamSettings;
  /** A fresh id with this prefix: `chatcmpl-fake1`, `cmpl-fake2`… */
  nextId(prefix: string): string;
  /** Ends pauses when the server closes. */
  signal: AbortSignal;
  /** Breaks a connection on the fake's own account (not counted as a client abort). */
  drop(res: ServerResponse): void;
}

const AUDIO_SLICE = 16 * 1024;

/** Answers a request that passed the fake's failure and key checks. */
export async function answer(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
): Promise<void> {
  const path = new URL(record.url, 'http://fake').pathname;
  const body = (record.body ?? {}) as Record<string, unknown>;
  if (record.method === 'POST') {
    if (path.endsWith('/chat/completions')) return chat(ctx, record, res);
    if (path.endsWith('/completions')) return completion(ctx, record, res);
    if (path.endsWith('/embeddings')) {
      const { body: answer, usage } = embeddings(body, !ctx.settings.omitUsage);
      if (!ctx.settings.omitUsage) record.usage = usage;
      return sendJson(res, 200, answer);
    }
    if (path.endsWith('/moderations')) {
      return sendJson(res, 200, moderation(body, ctx.nextId('modr-fake')));
    }
    if (path.endsWith('/images/generations')) {
      return sendJson(res, 200, images(body, ctx.nextId('img-fake')));
    }
    if (path.endsWith('/audio/speech')) return speech(body, res);
    if (path.endsWith('/audio/transcriptions'))
      return transcription(ctx, record, res, 'transcribe');
    if (path.endsWith('/audio/translations')) return transcription(ctx, record, res, 'translate');
  }
  if (record.method === 'GET') {
    if (path.endsWith('/models')) return sendJson(res, 200, modelList(ctx.models));
    const balance = balanceAnswer(path, ctx.balances);
    if (balance) return sendJson(res, 200, balance);
  }
  sendError(res, {
    status: 404,
    message: `Unknown request URL: ${record.method} ${path}`,
    type: 'invalid_request_error',
    code: 'unknown_url',
  });
}

async function chat(ctx: RouteContext, record: RecordedRequest, res: ServerResponse) {
  const request = (record.body ?? {}) as ChatRequest;
  const meta = answerMeta(ctx.nextId('chatcmpl-fake'), request);
  const { reply, toolArguments } = ctx;
  const answer = answerChat(request, { reply, toolArguments, id: meta.id });
  if (request.stream) {
    const mode = streamUsage(request, ctx.settings);
    if (mode !== 'none') record.usage = answer.usage;
    return stream(ctx, record, res, chatCompletionChunks(answer, meta, mode));
  }
  if (!ctx.settings.omitUsage) record.usage = answer.usage;
  sendJson(res, 200, chatCompletion(answer, meta, !ctx.settings.omitUsage));
}

async function completion(ctx: RouteContext, record: RecordedRequest, res: ServerResponse) {
  const request = (record.body ?? {}) as CompletionRequest;
  const meta = answerMeta(ctx.nextId('cmpl-fake'), request);
  const answer = answerCompletion(request, ctx.reply);
  if (request.stream) {
    const mode = streamUsage(request, ctx.settings);
    if (mode !== 'none') record.usage = answer.usage;
    return stream(ctx, record, res, textCompletionChunks(answer, meta, mode));
  }
  if (!ctx.settings.omitUsage) record.usage = answer.usage;
  sendJson(res, 200, textCompletion(answer, meta, !ctx.settings.omitUsage));
}

/** Binary audio written in several slices, as a real speech answer arrives. */
async function speech(body: Record<string, unknown>, res: ServerResponse) {
  const audio = fakeSpeech(typeof body.input === 'string' ? body.input : '');
  res.writeHead(200, { 'content-type': speechContentType(body.response_format) });
  for (let at = 0; at < audio.length && !res.destroyed; at += AUDIO_SLICE) {
    await write(res, audio.subarray(at, at + AUDIO_SLICE));
    await nextTurn();
  }
  res.end();
}

function transcription(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  task: 'transcribe' | 'translate',
) {
  const form = record.form ?? { fields: {}, files: [] };
  const options = { text: ctx.transcript, withUsage: !ctx.settings.omitUsage };
  const answer = transcribe(task, form, options);
  if (!answer) {
    return sendError(res, {
      status: 400,
      message: "Could not parse multipart form: no 'file' field",
      type: 'invalid_request_error',
    });
  }
  if (answer.usage) record.usage = answer.usage;
  res.writeHead(200, { 'content-type': answer.contentType }).end(answer.body);
}

async function stream(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  events: (object | string)[],
) {
  const { framing, eventDelayMs, dropAfterEvents } = ctx.settings;
  const drop = () => ctx.drop(res);
  const options = { framing, eventDelayMs, dropAfterEvents, signal: ctx.signal, drop };
  record.streamEnd = await writeSse(res, events, options);
}

function streamUsage(request: StreamingRequest, settings: StreamSettings): StreamUsage {
  if (!request.stream_options?.include_usage || settings.omitUsage) return 'none';
  return settings.usageOnFinishChunk ? 'finish' : 'separate';
}

function answerMeta(id: string, request: StreamingRequest) {
  return { id, created: Math.floor(Date.now() / 1000), model: request.model ?? 'unknown' };
}

export function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** An OpenAI-shaped error answer. */
export function sendError(res: ServerResponse, failure: FakeFailure): void {
  sendJson(res, failure.status, {
    error: {
      message: failure.message,
      type: failure.type ?? 'api_error',
      param: null,
      code: failure.code ?? null,
    },
  });
}
