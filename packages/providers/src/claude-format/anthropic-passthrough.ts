import type { ProviderAdapter } from '../adapter.js';
import { ANTHROPIC_VERSION, anthropicBaseUrl } from '../anthropic/anthropic-adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { upstreamModel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { AnthropicPassthroughTap } from './anthropic-passthrough-tap.js';

/**
 * A Claude client on an Anthropic channel: the client's Messages request goes upstream as it
 * came (thinking blocks, cache_control, fields this gateway does not know), with only a mapped
 * model rewritten, and Anthropic's answer comes back untouched. The Anthropic reader still reads
 * the usage for the bill and judges errors for failover.
 */
export const anthropicPassthrough: ProviderAdapter = {
  buildRequest(channel, request) {
    const native = request.native;
    if (native?.format !== 'claude') throw new RequestNotSupportedError(channel.type);
    const model = upstreamModel(channel, request.model);
    const headers: Record<string, string> = {
      'x-api-key': channel.key,
      'anthropic-version': native.headers['anthropic-version'] ?? ANTHROPIC_VERSION,
      'content-type': 'application/json',
    };
    const beta = native.headers['anthropic-beta'];
    if (beta !== undefined) headers['anthropic-beta'] = beta;
    return {
      url: `${anthropicBaseUrl(channel)}/v1/messages`,
      headers,
      body:
        model === request.model
          ? native.raw
          : JSON.stringify(Object.assign({}, native.json, { model })),
      injectedUsage: false,
    };
  },

  usageOf: (body) => anthropicReader.usageOf(body),
  clientAnswer: (body) => body,
  streamTap: (options) => new AnthropicPassthroughTap(options),
  completionTextOf: (body) => anthropicReader.completionTextOf(body),
  clientError: (channel, status, text) => anthropicReader.clientError(channel, status, text),
};
