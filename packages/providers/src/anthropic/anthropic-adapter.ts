import type { ProviderAdapter } from '../adapter.js';
import { upstreamModel, type UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { channelTypes } from '../registry.js';
import { anthropicReader } from './anthropic-reader.js';
import { toMessagesRequest } from './messages-request.js';

/** The Messages API version this adapter speaks. */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic's Messages API: chat completions only (Anthropic has no embeddings, images or
 * audio), the key in `x-api-key`. Anthropic streams report usage unasked.
 */
export const anthropicAdapter: ProviderAdapter = {
  ...anthropicReader,

  buildRequest(channel, request) {
    const path = request.path.split('?')[0] ?? '';
    if (path !== '/v1/chat/completions' || !request.json) {
      throw new RequestNotSupportedError(channel.type, request.path);
    }
    const model = upstreamModel(channel, request.model);
    const body = { model, ...toMessagesRequest(request.json, model) };
    return {
      url: `${anthropicBaseUrl(channel)}/v1/messages`,
      headers: {
        'x-api-key': channel.key,
        'anthropic-version': ANTHROPIC_VERSION,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request.stream ? { ...body, stream: true } : body),
      injectedUsage: request.stream && !request.clientWantsUsage,
    };
  },
};

/** The channel's API root, without the version the Messages path adds. */
export function anthropicBaseUrl(channel: UpstreamChannel): string {
  // An operator may paste the versioned root; the version is this adapter's to add.
  const base = channel.baseUrl || channelTypes.anthropic.defaultBaseUrl;
  return base.replace(/\/+$/, '').replace(/\/v1$/, '');
}
