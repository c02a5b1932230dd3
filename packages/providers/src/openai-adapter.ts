import type { AnswerReader, ClientRequest, ProviderAdapter, UpstreamRequest } from './adapter.js';
import { upstreamModel } from './channel.js';
import { RequestNotSupportedError } from './errors.js';
import { replaceMultipartField } from './multipart-fields.js';
import { openAIChunkText } from './openai-sse/openai-chunk-text.js';
import { OpenAIStreamTap } from './openai-sse/openai-stream-tap.js';
import { rerankUsageFromJson, usageFromJson } from './openai-sse/usage-json.js';
import { openAIErrorBody } from './openai-error.js';
import { findChannelType } from './registry.js';
import { scrubChannel } from './scrub.js';
import { buildUpstreamRequest } from './upstream-request.js';

/** The OpenAI family's answers: handed to the client as they came. */
const openAIReader = {
  usageOf: usageFromJson,

  clientAnswer: (body) => body,

  streamTap: (options) => new OpenAIStreamTap(options),

  completionTextOf(body) {
    try {
      return openAIChunkText(JSON.parse(body));
    } catch {
      return '';
    }
  },

  clientError(channel, status, text) {
    const scrubbed = scrubChannel(channel, text);
    try {
      JSON.parse(scrubbed);
      return { status, body: scrubbed };
    } catch {
      return { status, body: openAIErrorBody(scrubbed.slice(0, 1000) || 'upstream error') };
    }
  },
} satisfies AnswerReader;

/** Cohere's rerank shape (Jina, SiliconFlow, vLLM, Xinference): its usage is read apart. */
const rerankReader: AnswerReader = { ...openAIReader, usageOf: rerankUsageFromJson };

const RERANK_PATH = '/v1/rerank';

/**
 * OpenAI, Azure and every OpenAI-compatible server: the client's bytes go upstream as they
 * came unless the channel maps the model or stream usage must be asked for.
 */
export const openAIAdapter = {
  ...openAIReader,

  buildRequest(channel, request) {
    const rerank = request.path.split('?')[0] === RERANK_PATH;
    // Azure OpenAI has no rerank; a channel of another type may serve the model.
    if (rerank && findChannelType(channel.type)?.wire === 'azure') {
      throw new RequestNotSupportedError(channel.type, request.path);
    }
    const model = upstreamModel(channel, request.model);
    const target = buildUpstreamRequest({ channel, path: request.path, model });
    const injectedUsage = request.stream && !request.clientWantsUsage;
    target.headers['content-type'] = request.contentType;
    const upstream: UpstreamRequest = {
      url: target.url,
      headers: target.headers,
      body: body(request, model, injectedUsage),
      injectedUsage,
    };
    if (rerank) upstream.reader = rerankReader;
    return upstream;
  },
} satisfies ProviderAdapter;

function body(request: ClientRequest, model: string, injectUsage: boolean): Buffer | string {
  if (model === request.model && !injectUsage) return request.raw;
  if (!request.json) return replaceMultipartField(request.raw, request.contentType, 'model', model);
  if (model === request.model && request.json.stream_options === undefined) {
    return withStreamUsage(request.raw);
  }
  const json: Record<string, unknown> = Object.assign({}, request.json, { model });
  if (injectUsage) {
    json.stream_options = Object.assign({}, request.json.stream_options, { include_usage: true });
  }
  return JSON.stringify(json);
}

const STREAM_USAGE_MEMBER = Buffer.from('"stream_options":{"include_usage":true},');

/**
 * The client's JSON object with `stream_options.include_usage` added as its first member,
 * its own bytes otherwise untouched: no parse and re-serialisation of the whole body. Only
 * for bodies without stream_options (a member cannot be named twice) and with at least one
 * member (the model), so the added one can always be followed by a comma.
 */
function withStreamUsage(raw: Buffer): Buffer {
  const open = raw.indexOf(0x7b); // the object's `{`: only whitespace may come before it
  return Buffer.concat([raw.subarray(0, open + 1), STREAM_USAGE_MEMBER, raw.subarray(open + 1)]);
}
