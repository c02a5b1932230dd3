import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StreamingRequest, StreamUsage } from './fake-answer.js';
import { fakeSpeech, speechContentType, transcribe } from './fake-audio.js';
import { balanceAnswer, type FakeBalances } from './fake-balances.js';
import { fakeAnthropicRoute } from './fake-anthropic.js';
import { fakeBedrockRoute } from './fake-bedrock.js';
import { answerChat, chatCompletion, chatCompletionChunks, type ChatRequest } from './fake-chat.js';
import {
  answerCompletion,
  textCompletion,
  textCompletionChunks,
  type CompletionRequest,
} from './fake-completions.js';
import { embeddings, imageEdits, images, modelList, moderation, rerank } from './fake-endpoints.js';
import { fakeGeminiRoute } from './fake-gemini.js';
import { answerResponses } from './fake-responses.js';
import { fakeVertexRoute } from './fake-vertex.js';
import { implicitlyCachedTokens } from './fake-prompt-cache.js';
import { write, writeSse, type StreamFraming } from './fake-sse.js';
import { fakeSystemWords } from './fake-tokens.js';
import type { FakeFailure, RecordedRequest } from './fake-upstream.js';

/** How streams and usage look; set per test through the fake's controls. */
export interface StreamSettings {
  framing: StreamFraming;
  eventDelayMs: number;
  dropAfterEvents?: number;
  /** After this many events the stream reports the failure in its own wire's form and ends. */
  errorAfter?: { events: number; failure: FakeFailure };
  omitUsage: boolean;
  usageOnFinishChunk: boolean;
}

/**
 * A provider whose wire format the fake speaks besides OpenAI's (Anthropic, Gemini, …): the
 * requests it answers, and how it words a failure.
 */
export interface ProviderRoute {
  matches(record: RecordedRequest): boolean;
  answer(ctx: RouteContext, record: RecordedRequest, res: ServerResponse): Promise<void>;
  sendError(res: ServerResponse, failure: FakeFailure): void;
  /** The route checks the caller's credentials itself (signatures, tokens it minted). */
  ownCredentials?: true;
}

/** Tried in order before the OpenAI routes. */
const providerRoutes: ProviderRoute[] = [
  fakeVertexRoute,
  fakeAnthropicRoute,
  fakeBedrockRoute,
  fakeGeminiRoute,
];

/** Whether the provider the request is for checks its credentials itself, not the fake's keys. */
export function checksOwnCredentials(record: RecordedRequest): boolean {
  return providerRoutes.some((route) => route.ownCredentials && route.matches(record));
}

/** A failure in the wire format of the provider the request was meant for. */
export function sendFailure(record: RecordedRequest, res: ServerResponse, failure: FakeFailure) {
  const provider = providerRoutes.find((route) => route.matches(record));
  if (provider) provider.sendError(res, failure);
  else sendError(res, failure);
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
  const provider = providerRoutes.find((route) => route.matches(record));
  if (provider) return provider.answer(ctx, record, res);
  const path = new URL(record.url, 'http://fake').pathname;
  const body = (record.body ?? {}) as Record<string, unknown>;
  if (record.method === 'POST') {
    if (path.endsWith('/chat/completions')) return chat(ctx, record, res);
    if (path.endsWith('/responses')) return answerResponses(ctx, record, res);
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
    if (path.endsWith('/images/edits')) return imageEdit(ctx, record, res);
    if (path.endsWith('/rerank')) {
      const withUsage = !ctx.settings.omitUsage;
      const returnDocuments = body.return_documents === true;
      const id = ctx.nextId('rerank-fake');
      const { body: answer, usage } = rerank(body, { id, withUsage, returnDocuments });
      if (withUsage) record.usage = usage;
      return sendJson(res, 200, answer);
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
  const cached = implicitlyCachedTokens(ctx, meta.model, fakeSystemWords(request.messages));
  if (cached > 0) answer.usage.prompt_tokens_details = { cached_tokens: cached };
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

function imageEdit(ctx: RouteContext, record: RecordedRequest, res: ServerResponse) {
  const edited = imageEdits(record.form ?? { fields: {}, files: [] }, ctx.nextId('img-fake'));
  if ('body' in edited) return sendJson(res, 200, edited.body);
  sendError(res, {
    status: 400,
    message: `Missing required parameter: '${edited.missing}'.`,
    type: 'invalid_request_error',
    code: 'missing_required_parameter',
  });
}

async function stream(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  events: (object | string)[],
) {
  const { framing, eventDelayMs, dropAfterEvents, errorAfter } = ctx.settings;
  const drop = () => ctx.drop(res);
  const options = { framing, eventDelayMs, dropAfterEvents, signal: ctx.signal, drop };
  const sent = errorAfter
    ? [...events.slice(0, errorAfter.events), openAIErrorObject(errorAfter.failure)]
    : events;
  record.streamEnd = await writeSse(res, sent, options);
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
  sendJson(res, failure.status, openAIErrorObject(failure));
}

function openAIErrorObject(failure: FakeFailure): object {
  return {
    error: {
      message: failure.message,
      type: failure.type ?? 'api_error',
      param: null,
      code: failure.code ?? null,
    },
  };
}
