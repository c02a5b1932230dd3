import type { ClientRequest, NativeFormat, ProviderAdapter } from './adapter.js';
import { anthropicPassthrough } from './claude-format/anthropic-passthrough.js';
import { claudeClientAdapter } from './claude-format/claude-client-adapter.js';
import { RequestNotSupportedError } from './errors.js';
import { geminiClientAdapter } from './gemini-format/gemini-client-adapter.js';
import { geminiPassthrough } from './gemini-format/gemini-passthrough.js';
import { findChannelType } from './registry.js';
import { openAIResponsesPassthrough } from './responses-format/openai-responses-passthrough.js';
import { responsesClientAdapter } from './responses-format/responses-client-adapter.js';

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
  const native = request.native;
  if (native === undefined) return adapter;
  const passthrough = passthroughFor(native.format, channelType);
  if (passthrough !== undefined) return passthrough;
  if (native.nativeOnly !== undefined) return refusing(adapter, native.nativeOnly);
  switch (native.format) {
    case 'claude':
      return claudeClientAdapter(adapter);
    case 'responses':
      return responsesClientAdapter(adapter);
    case 'gemini':
      return geminiClientAdapter(adapter);
  }
}

/** The adapter that sends a client's own request on as it came, where the channel speaks it. */
function passthroughFor(format: NativeFormat, channelType: string): ProviderAdapter | undefined {
  switch (format) {
    case 'claude':
      return findChannelType(channelType)?.wire === 'anthropic' ? anthropicPassthrough : undefined;
    // Only OpenAI's own API is known to serve /v1/responses (Azure serves it at other paths).
    case 'responses':
      return channelType === 'openai' ? openAIResponsesPassthrough : undefined;
    case 'gemini':
      return findChannelType(channelType)?.wire === 'gemini' ? geminiPassthrough : undefined;
  }
}

/** A channel that cannot serve what only the client format's own API has: the next may. */
function refusing(adapter: ProviderAdapter, reason: string): ProviderAdapter {
  return {
    ...adapter,
    buildRequest(channel) {
      throw new RequestNotSupportedError(channel.type, undefined, reason);
    },
  };
}
