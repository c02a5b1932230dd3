import type { ClientRequest, ProviderAdapter, UpstreamRequest } from './adapter.js';
import { upstreamModel } from './channel.js';
import { replaceMultipartField } from './multipart-fields.js';
import { openAIChunkText } from './openai-sse/openai-chunk-text.js';
import { OpenAIStreamTap } from './openai-sse/openai-stream-tap.js';
import { usageFromJson } from './openai-sse/usage-json.js';
import { openAIErrorBody } from './openai-error.js';
import { scrubChannel } from './scrub.js';
import { buildUpstreamRequest } from './upstream-request.js';

/**
 * OpenAI, Azure and every OpenAI-compatible server: the client's bytes go upstream as they
 * came unless the channel maps the model or stream usage must be asked for.
 */
export const openAIAdapter = {
  buildRequest(channel, request) {
    const model = upstreamModel(channel, request.model);
    const target = buildUpstreamRequest({ channel, path: request.path, model });
    const injectedUsage = request.stream && !request.clientWantsUsage;
    target.headers['content-type'] = request.contentType;
    return {
      url: target.url,
      headers: target.headers,
      body: body(request, model, injectedUsage),
      injectedUsage,
    } satisfies UpstreamRequest;
  },

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
} satisfies ProviderAdapter;

function body(request: ClientRequest, model: string, injectUsage: boolean): Buffer | string {
  if (model === request.model && !injectUsage) return request.raw;
  if (!request.json) return replaceMultipartField(request.raw, 'model', model);
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
