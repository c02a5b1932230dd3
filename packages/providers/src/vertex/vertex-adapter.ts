import type { ProviderAdapter } from '../adapter.js';
import { toMessagesRequest } from '../anthropic/messages-request.js';
import { upstreamModel } from '../channel.js';
import { RequestNotSupportedError, UpstreamError } from '../errors.js';
import { toGenerateContentRequest } from '../gemini/generate-content-request.js';
import { vertexAccessToken } from './access-token.js';
import {
  parseServiceAccount,
  ServiceAccountError,
  type ServiceAccount,
} from './service-account.js';
import { vertexClaudeReader, vertexGeminiReader } from './vertex-readers.js';
import { isVertexRegion, publisherOf, vertexUrl } from './vertex-url.js';

/** The Messages API version Vertex AI takes in the body of a Claude request. */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/**
 * Claude and Gemini models on Google Cloud's Vertex AI, authenticated by a service account (its
 * key file is the channel's key; `project` and `region` are the channel's settings). Claude
 * models (`claude-…`) take Anthropic's Messages body by `rawPredict` / `streamRawPredict` and
 * answer as Anthropic does; the others take Gemini's `generateContent` body and answer as
 * Gemini does. Each request names the reader of its answer; refusals by Vertex AI's own front end
 * are read alike for both (vertex-error.ts).
 */
export const vertexAdapter: ProviderAdapter = {
  ...vertexGeminiReader,

  async buildRequest(channel, request) {
    const path = request.path.split('?')[0] ?? '';
    if (path !== '/v1/chat/completions' || !request.json) {
      throw new RequestNotSupportedError(channel.type, request.path);
    }
    const { project, region } = channel.config;
    // Settings the console checks; the relay passes a channel without them over to the next.
    if (typeof project !== 'string' || !project || !isVertexRegion(region)) {
      throw new Error('the Vertex AI channel has no valid project and region settings');
    }
    const token = await vertexAccessToken(accountOf(channel.key));
    const model = upstreamModel(channel, request.model);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const injectedUsage = request.stream && !request.clientWantsUsage;
    if (publisherOf(model) === 'anthropic') {
      const body = {
        anthropic_version: VERTEX_ANTHROPIC_VERSION,
        ...toMessagesRequest(request.json, model),
        ...(request.stream ? { stream: true } : {}),
      };
      const method = request.stream ? 'streamRawPredict' : 'rawPredict';
      return {
        url: vertexUrl(channel.baseUrl, project, region, model, method),
        headers,
        body: JSON.stringify(body),
        injectedUsage,
        reader: vertexClaudeReader,
      };
    }
    const method = request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    return {
      url: vertexUrl(channel.baseUrl, project, region, model, method),
      headers,
      body: JSON.stringify(toGenerateContentRequest(request.json)),
      injectedUsage,
      reader: vertexGeminiReader,
    };
  },
};

/** Key files read, by channel key: a request should not parse one again. Few channels, few keys. */
const accounts = new Map<string, ServiceAccount>();
const MAX_ACCOUNTS = 256;

function accountOf(key: string): ServiceAccount {
  const known = accounts.get(key);
  if (known) return known;
  let account: ServiceAccount;
  try {
    account = parseServiceAccount(key);
  } catch (error) {
    // A key that is not a key file: refused as Google would refuse it.
    if (error instanceof ServiceAccountError) throw new UpstreamError(error.message, 401);
    throw error;
  }
  if (accounts.size >= MAX_ACCOUNTS) accounts.clear();
  accounts.set(key, account);
  return account;
}
