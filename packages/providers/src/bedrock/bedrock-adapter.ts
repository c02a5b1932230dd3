import type { ProviderAdapter } from '../adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { toMessagesRequest } from '../anthropic/messages-request.js';
import { upstreamModel } from '../channel.js';
import { RequestNotSupportedError, UpstreamError } from '../errors.js';
import {
  BedrockKeyError,
  parseBedrockKey,
  type BedrockCredentials,
} from './bedrock-credentials.js';
import { bedrockClientError } from './bedrock-error.js';
import { BedrockStreamTap } from './bedrock-stream-tap.js';
import { bedrockUrl, isRegion } from './bedrock-url.js';
import { signBedrockRequest } from './sigv4.js';

/** The Messages API version Bedrock takes in the body of a Claude request. */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/**
 * Claude on AWS Bedrock: chat completions as Anthropic Messages bodies (the model in the URL,
 * `anthropic_version` in the body), `InvokeModel` or `InvokeModelWithResponseStream`, signed
 * with SigV4 by the channel's `accessKeyId|secretAccessKey[|sessionToken]` for its region.
 * Whole answers are Anthropic's; streams come in AWS's binary event framing.
 */
export const bedrockAdapter: ProviderAdapter = {
  ...anthropicReader,
  streamTap: (options) => new BedrockStreamTap(options),
  clientError: bedrockClientError,

  async buildRequest(channel, request) {
    const path = request.path.split('?')[0] ?? '';
    if (path !== '/v1/chat/completions' || !request.json) {
      throw new RequestNotSupportedError(channel.type, request.path);
    }
    const region = channel.config.region;
    // A setting the console checks; the relay passes a channel without one over to the next.
    if (!isRegion(region)) throw new Error('the AWS Bedrock channel has no valid region setting');
    const credentials = credentialsOf(channel.key);
    const model = upstreamModel(channel, request.model);
    const body = Buffer.from(
      JSON.stringify({
        anthropic_version: BEDROCK_ANTHROPIC_VERSION,
        ...toMessagesRequest(request.json, model),
      }),
    );
    const url = bedrockUrl(channel.baseUrl, region, model, request.stream);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: request.stream ? 'application/vnd.amazon.eventstream' : 'application/json',
    };
    const signed = await signBedrockRequest(url, body, region, credentials, headers);
    return {
      url: signed.url,
      headers: signed.headers,
      body: signed.body,
      injectedUsage: request.stream && !request.clientWantsUsage,
    };
  },
};

function credentialsOf(key: string): BedrockCredentials {
  try {
    return parseBedrockKey(key);
  } catch (error) {
    // A key that is not a key: the channel is refused as AWS would refuse it.
    if (error instanceof BedrockKeyError) throw new UpstreamError(error.message, 401);
    throw error;
  }
}
