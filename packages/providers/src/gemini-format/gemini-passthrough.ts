import type { ProviderAdapter } from '../adapter.js';
import { upstreamModel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { generateContentUrl, geminiHeaders } from '../gemini/gemini-adapter.js';
import { geminiReader } from '../gemini/gemini-reader.js';
import { GeminiPassthroughTap } from './gemini-passthrough-tap.js';

/**
 * A Gemini client on a Gemini channel: the client's GenerateContentRequest goes upstream byte for
 * byte (built-in tools, cached contents, fields this gateway does not know); the model lives in
 * the URL, so a mapped model needs no rewrite of the body. Google's answer comes back untouched;
 * the Gemini reader still reads the usage for the bill and judges errors for failover.
 */
export const geminiPassthrough: ProviderAdapter = {
  buildRequest(channel, request) {
    const native = request.native;
    if (native?.format !== 'gemini') throw new RequestNotSupportedError(channel.type);
    const model = upstreamModel(channel, request.model);
    return {
      url: generateContentUrl(channel, model, request.stream),
      headers: geminiHeaders(channel),
      body: native.raw,
      // Gemini streams report their usage unasked.
      injectedUsage: false,
    };
  },

  usageOf: (body) => geminiReader.usageOf(body),
  clientAnswer: (body) => body,
  streamTap: (options) => new GeminiPassthroughTap(options),
  completionTextOf: (body) => geminiReader.completionTextOf(body),
  clientError: (channel, status, text) => geminiReader.clientError(channel, status, text),
};
