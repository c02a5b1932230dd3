import type { ClientRequest, ProviderAdapter, UpstreamRequest } from './adapter.js';
import { upstreamModel } from './channel.js';
import { replaceMultipartField } from './multipart-fields.js';
import { openAIChunkText } from './openai-sse/openai-chunk-text.js';
import { OpenAIStreamTap } from './openai-sse/openai-stream-tap.js';
import { usageFromJson } from './openai-sse/usage-json.js';
import { scrubSecret } from './scrub.js';
import { buildUpstreamRequest } from './upstream-request.js';

/**
 * OpenAI, Azure and every OpenAI-compatible server: the client's bytes go upstream as they
 * came unless the channel maps the model or stream usage must be asked for.
 */
export const openAIAdapter: ProviderAdapter = {
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

  streamTap: (options) => new OpenAIStreamTap(options),

  completionTextOf(body) {
    try {
      return openAIChunkText(JSON.parse(body));
    } catch {
      return '';
    }
  },

  errorBody(channel, _status, text) {
    let scrubbed = scrubSecret(text, channel.key);
    // Never the internal address of the upstream either.
    if (channel.baseUrl) scrubbed = scrubbed.split(channel.baseUrl).join('(upstream)');
    try {
      JSON.parse(scrubbed);
      return scrubbed;
    } catch {
      return JSON.stringify({
        error: {
          message: scrubbed.slice(0, 1000) || 'upstream error',
          type: 'upstream_error',
          param: null,
          code: null,
        },
      });
    }
  },
};

function body(request: ClientRequest, model: string, injectUsage: boolean): Buffer | string {
  if (model === request.model && !injectUsage) return request.raw;
  if (!request.json) return replaceMultipartField(request.raw, 'model', model);
  const json: Record<string, unknown> = { ...request.json, model };
  if (injectUsage) {
    json.stream_options = {
      ...(request.json.stream_options as object | undefined),
      include_usage: true,
    };
  }
  return JSON.stringify(json);
}
