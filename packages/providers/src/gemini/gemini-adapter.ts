import type { ClientRequest, ProviderAdapter, UpstreamRequest } from '../adapter.js';
import { upstreamModel, type UpstreamChannel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { channelTypes } from '../registry.js';
import { toBatchEmbedRequest } from './embeddings.js';
import { geminiReader } from './gemini-reader.js';
import { toGenerateContentRequest } from './generate-content-request.js';

/**
 * Google's Gemini API: chat completions become `generateContent` (or its SSE stream) and
 * embeddings `batchEmbedContents`, the key in `x-goog-api-key` (never in the URL, where logs
 * and proxies would keep it).
 */
export const geminiAdapter: ProviderAdapter = {
  ...geminiReader,

  buildRequest(channel, request) {
    const model = upstreamModel(channel, request.model);
    const path = request.path.split('?')[0] ?? '';
    const json = request.json;
    if (!json) throw new RequestNotSupportedError(channel.type, request.path);
    if (path === '/v1/chat/completions') {
      const url = generateContentUrl(channel, model, request.stream);
      return upstream(channel, request, url, toGenerateContentRequest(json));
    }
    if (path === '/v1/embeddings') {
      const body = toBatchEmbedRequest(json, model, channel.type);
      return upstream(channel, request, `${modelUrl(channel, model)}:batchEmbedContents`, body);
    }
    throw new RequestNotSupportedError(channel.type, request.path);
  },
};

/** The URL of `generateContent` for a model, or of its SSE stream. */
export function generateContentUrl(
  channel: UpstreamChannel,
  model: string,
  stream: boolean,
): string {
  const url = modelUrl(channel, model);
  return stream ? `${url}:streamGenerateContent?alt=sse` : `${url}:generateContent`;
}

/** The channel's key goes in a header, never in the URL. */
export function geminiHeaders(channel: UpstreamChannel): Record<string, string> {
  return { 'x-goog-api-key': channel.key, 'content-type': 'application/json' };
}

function modelUrl(channel: UpstreamChannel, model: string): string {
  return `${baseUrl(channel)}/v1beta/models/${encodeURIComponent(model)}`;
}

function upstream(
  channel: UpstreamChannel,
  request: ClientRequest,
  url: string,
  body: Record<string, unknown>,
): UpstreamRequest {
  return {
    url,
    headers: geminiHeaders(channel),
    body: JSON.stringify(body),
    // Gemini streams report usage unasked: no usage chunk is owed the client unless it asked.
    injectedUsage: request.stream && !request.clientWantsUsage,
  };
}

function baseUrl(channel: UpstreamChannel): string {
  // An operator may paste the versioned root; the version is this adapter's to choose.
  const base = channel.baseUrl || channelTypes.gemini.defaultBaseUrl;
  return base.replace(/\/+$/, '').replace(/\/v1(beta)?$/, '');
}
