import type { ServerResponse } from 'node:http';
import { endsWithToolResult, replyPieces, wordPieces } from './fake-answer.js';
import { fakeEmbedding } from './fake-endpoints.js';
import { batchEmbedProblem, generateContentProblem } from './fake-gemini-request.js';
import type { ProviderRoute, RouteContext } from './fake-routes.js';
import { implicitlyCachedTokens } from './fake-prompt-cache.js';
import { writeSse } from './fake-sse.js';
import { fakeWords } from './fake-tokens.js';
import type { FakeFailure, RecordedRequest } from './fake-upstream.js';

/**
 * The fake's Gemini API: `POST /v1beta/models/{model}:generateContent`, `:streamGenerateContent`
 * (SSE with `?alt=sse`, framed with `\r\n\r\n` as Google frames it; a JSON array otherwise) and
 * `:batchEmbedContents`, with the key in `x-goog-api-key` or `?key=`. Bodies are checked as the
 * real API checks them (fake-gemini-request.ts); failures come in Google's error shape.
 *
 * Token rules (fake-tokens.ts, adapted to Gemini's shape):
 * - prompt: each turn of `contents` costs 3 plus the words of its text parts, and the system
 *   instruction 3 plus its words when there is one; other parts cost nothing;
 * - completion: the words of the reply cut to `maxOutputTokens` (a streamed event per word),
 *   or the words of the tool arguments when it calls a function (whenever tools are offered
 *   and the mode is not NONE), per candidate;
 * - embeddings report no usage (Gemini reports none);
 * - implicit caching (fake-prompt-cache.ts): a long system instruction seen before is reported
 *   as `cachedContentTokenCount` (part of `promptTokenCount`, as Google counts it).
 *
 * Markers in the last user text: GEMINI_UNSAFE_MARKER makes the answer stop with finishReason
 * SAFETY before any text; GEMINI_BLOCKED_PROMPT_MARKER refuses the prompt itself
 * (`promptFeedback.blockReason`, no candidates). Gemini has no documented in-stream error event,
 * so `failStreamAfter` breaks the connection after that many events instead.
 */
export const GEMINI_UNSAFE_MARKER = 'fake-gemini-unsafe';
export const GEMINI_BLOCKED_PROMPT_MARKER = 'fake-gemini-blocked-prompt';

const PATH =
  /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/;

type Json = Record<string, unknown>;

export const fakeGeminiRoute: ProviderRoute = {
  matches: (record) => record.method === 'POST' && PATH.test(urlOf(record).pathname),
  answer: async (ctx, record, res) => {
    const url = urlOf(record);
    const [, model = '', method] = PATH.exec(url.pathname) ?? [];
    if (!record.headers['x-goog-api-key'] && !url.searchParams.has('key')) {
      return sendGoogleError(
        res,
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (method === 'batchEmbedContents') return embed(record, res, model);
    const problem = generateContentProblem(record.body);
    if (problem) return sendGoogleError(res, 400, 'INVALID_ARGUMENT', problem);
    const answer = generate(ctx, record.body as Json, model);
    if (!ctx.settings.omitUsage) record.usage = answer.usage;
    if (method === 'generateContent') return sendJson(res, 200, answer.whole);
    if (url.searchParams.get('alt') !== 'sse') return sendJson(res, 200, answer.events);
    return stream(ctx, record, res, answer.events);
  },
  sendError: (res, failure) => sendFailure(res, failure),
};

function urlOf(record: RecordedRequest): URL {
  return new URL(record.url, 'http://fake');
}

interface GeminiAnswer {
  whole: Json;
  events: Json[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens: number };
  };
}

function generate(ctx: RouteContext, body: Json, model: string): GeminiAnswer {
  const contents = body.contents as Json[];
  const config = (body.generationConfig ?? {}) as Json;
  const promptTokens = promptTokensOf(contents, body.systemInstruction);
  const system = body.systemInstruction as Json | undefined;
  const cachedTokens = implicitlyCachedTokens(ctx, model, fakeWords(textOf(system?.parts)));
  const responseId = ctx.nextId('gemini-fake-');
  const meta = { modelVersion: model, responseId };
  const usageMetadata = (completion: number) => ({
    promptTokenCount: promptTokens,
    ...(cachedTokens > 0 ? { cachedContentTokenCount: cachedTokens } : {}),
    ...(completion > 0 ? { candidatesTokenCount: completion } : {}),
    totalTokenCount: promptTokens + completion,
  });
  const withUsage = (event: Json, completion: number) =>
    ctx.settings.omitUsage ? event : { ...event, usageMetadata: usageMetadata(completion) };
  const usage = (completion: number) => ({
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
    ...(cachedTokens > 0 ? { prompt_tokens_details: { cached_tokens: cachedTokens } } : {}),
  });

  const lastText = lastUserText(contents);
  if (fakeWords(lastText).includes(GEMINI_BLOCKED_PROMPT_MARKER)) {
    const blocked = withUsage({ promptFeedback: { blockReason: 'SAFETY' }, ...meta }, 0);
    return { whole: blocked, events: [blocked], usage: usage(0) };
  }
  const count = typeof config.candidateCount === 'number' ? config.candidateCount : 1;
  const indexes = Array.from({ length: count }, (_, index) => index);
  if (fakeWords(lastText).includes(GEMINI_UNSAFE_MARKER)) {
    const unsafe = withUsage({ candidates: indexes.map((index) => safetyStop(index)), ...meta }, 0);
    return { whole: unsafe, events: [unsafe], usage: usage(0) };
  }
  const tool = calledFunction(body);
  if (tool !== undefined) {
    const args = JSON.parse(ctx.toolArguments) as Json;
    const completion = wordPieces(ctx.toolArguments).length * count;
    const part = { functionCall: { name: tool, args }, thoughtSignature: 'ZmFrZS1zaWduYXR1cmU=' };
    const candidates = indexes.map((index) => ({
      content: { parts: [part], role: 'model' },
      finishReason: 'STOP',
      index,
    }));
    const whole = withUsage({ candidates, ...meta }, completion);
    return { whole, events: [whole], usage: usage(completion) };
  }
  const limit = typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined;
  const { pieces, cut } = replyPieces(ctx.reply, limit);
  const finishReason = cut ? 'MAX_TOKENS' : 'STOP';
  const completion = pieces.length * count;
  const candidates = indexes.map((index) => ({
    content: { parts: [{ text: pieces.join('') }], role: 'model' },
    finishReason,
    index,
  }));
  const events: Json[] = pieces.map((text, i) => {
    const last = i === pieces.length - 1;
    const event = {
      candidates: indexes.map((index) => ({
        content: { parts: [{ text }], role: 'model' },
        ...(last ? { finishReason } : {}),
        index,
      })),
      ...meta,
    };
    return last ? withUsage(event, completion) : event;
  });
  if (events.length === 0) {
    events.push(
      withUsage({ candidates: indexes.map((index) => ({ finishReason, index })), ...meta }, 0),
    );
  }
  return {
    whole: withUsage({ candidates, ...meta }, completion),
    events,
    usage: usage(completion),
  };
}

function safetyStop(index: number): Json {
  return {
    finishReason: 'SAFETY',
    index,
    safetyRatings: [
      { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true },
    ],
  };
}

/** The function it calls: the one ANY mode allows first, else the first declared. */
function calledFunction(body: Json): string | undefined {
  const calling = ((body.toolConfig ?? {}) as Json).functionCallingConfig as Json | undefined;
  if (calling?.mode === 'NONE' || endsWithToolResult(body.contents)) return undefined;
  const allowed = calling?.allowedFunctionNames;
  if (Array.isArray(allowed) && typeof allowed[0] === 'string') return allowed[0];
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const declarations = tools.flatMap(
    (tool) => (tool.functionDeclarations as Json[] | undefined) ?? [],
  );
  const name = declarations[0]?.name;
  return typeof name === 'string' ? name : undefined;
}

function promptTokensOf(contents: Json[], system: unknown): number {
  const turns = contents.reduce(
    (sum, content) => sum + 3 + fakeWords(textOf(content.parts)).length,
    0,
  );
  const instruction =
    system === undefined ? 0 : 3 + fakeWords(textOf((system as Json).parts)).length;
  return turns + instruction;
}

function lastUserText(contents: Json[]): string {
  const user = contents.filter((content) => content.role === 'user').at(-1);
  return user ? textOf(user.parts) : '';
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  return parts.map((part: Json) => (typeof part.text === 'string' ? part.text : '')).join(' ');
}

async function stream(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
  events: Json[],
) {
  const { framing, eventDelayMs, dropAfterEvents, errorAfter } = ctx.settings;
  const drop = [dropAfterEvents, errorAfter?.events].filter((n): n is number => n !== undefined);
  record.streamEnd = await writeSse(res, events, {
    framing: { ...framing, lineEnding: '\r\n' },
    eventDelayMs,
    dropAfterEvents: drop.length > 0 ? Math.min(...drop) : undefined,
    signal: ctx.signal,
    drop: () => ctx.drop(res),
  });
}

function embed(record: RecordedRequest, res: ServerResponse, model: string) {
  const problem = batchEmbedProblem(record.body, model);
  if (problem) return sendGoogleError(res, 400, 'INVALID_ARGUMENT', problem);
  const requests = (record.body as { requests: Json[] }).requests;
  const embeddings = requests.map((request) => {
    const text = textOf((request.content as Json).parts);
    const dimensions = request.outputDimensionality as number | undefined;
    return { values: fakeEmbedding(text, dimensions) };
  });
  sendJson(res, 200, { embeddings });
}

const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * A failure a test asked for, worded as Google words it: a refused key is Gemini's 400
 * API_KEY_INVALID whatever status the test gave, spent money carries the BILLING_DISABLED reason.
 */
function sendFailure(res: ServerResponse, failure: FakeFailure): void {
  if (failure.code === 'invalid_api_key') {
    return sendGoogleError(
      res,
      400,
      'INVALID_ARGUMENT',
      'API key not valid. Please pass a valid API key.',
      'API_KEY_INVALID',
    );
  }
  const reason = failure.code === 'insufficient_quota' ? 'BILLING_DISABLED' : undefined;
  const status =
    GOOGLE_STATUS[failure.status] ?? (failure.status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  sendGoogleError(res, failure.status, status, failure.message, reason);
}

function sendGoogleError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  reason?: string,
) {
  const details = reason
    ? [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason,
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ]
    : undefined;
  sendJson(res, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    .end(JSON.stringify(body));
}
