import type { ClientRequest, ProviderAdapter } from './adapter.js';
import { anthropicPassthrough } from './claude-format/anthropic-passthrough.js';
import { claudeClientAdapter } from './claude-format/claude-client-adapter.js';
import { findChannelType } from './registry.js';

/**
 * The adapter that serves this client on a channel: the channel's own for OpenAI's format;
 * for another format, a pass-through where the channel speaks it, else the channel's adapter
 * behind that format's converters (through the hub, OpenAI chat).
 */
export function adapterForClient(
  request: ClientRequest,
  channelType: string,
  adapter: ProviderAdapter,
): ProviderAdapter {
  if (request.native === undefined) return adapter;
  return findChannelType(channelType)?.wire === 'anthropic'
    ? anthropicPassthrough
    : claudeClientAdapter(adapter);
}
