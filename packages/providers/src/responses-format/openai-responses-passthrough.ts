import type { ProviderAdapter } from '../adapter.js';
import { upstreamModel } from '../channel.js';
import { RequestNotSupportedError } from '../errors.js';
import { isRecord, parseJson, recordsOf, stringOf } from '../json-values.js';
import { openAIAdapter } from '../openai-adapter.js';
import { buildUpstreamRequest } from '../upstream-request.js';
import {
  OpenAIResponsesPassthroughTap,
  storesResponse,
} from './openai-responses-passthrough-tap.js';
import { usageOfResponse } from './responses-usage.js';

/**
 * A Responses client on an `openai` channel: the client's request goes to the official API's
 * `/v1/responses` as it came (stored responses, built-in tools, fields this gateway does not
 * know), with only a mapped model rewritten, and OpenAI's answer comes back untouched. Its usage
 * is still read for the bill. (Azure serves the Responses API at other paths: not this one.)
 */
export const openAIResponsesPassthrough: ProviderAdapter = {
  buildRequest(channel, request) {
    const native = request.native;
    if (native?.format !== 'responses') throw new RequestNotSupportedError(channel.type);
    const model = upstreamModel(channel, request.model);
    const target = buildUpstreamRequest({ channel, path: '/v1/responses', model });
    return {
      url: target.url,
      headers: { ...target.headers, 'content-type': 'application/json' },
      body:
        model === request.model
          ? native.raw
          : JSON.stringify(Object.assign({}, native.json, { model })),
      // A Responses stream always ends with its usage.
      injectedUsage: false,
    };
  },

  usageOf(body) {
    const response = parseJson(body);
    return isRecord(response) ? usageOfResponse(response.usage) : undefined;
  },

  clientAnswer: (body) => body,

  continuationIdOf(body, request) {
    if (!storesResponse(request)) return undefined;
    const response = parseJson(body);
    return isRecord(response) ? stringOf(response.id) : undefined;
  },

  streamTap: (options) => new OpenAIResponsesPassthroughTap(options),

  completionTextOf: (body) => responseText(parseJson(body)),

  // OpenAI's error bodies are the Responses API's too.
  clientError: (channel, status, text) => openAIAdapter.clientError(channel, status, text),
};

/** What a Response generated, for counting when it reports no usage. */
function responseText(response: unknown): string {
  const output = isRecord(response) ? recordsOf(response.output) : [];
  let text = '';
  for (const item of output) {
    if (item.type === 'message') {
      for (const part of recordsOf(item.content)) {
        text += stringOf(part.text) ?? stringOf(part.refusal) ?? '';
      }
    } else if (item.type === 'function_call') {
      text += stringOf(item.arguments) ?? '';
    } else if (item.type === 'reasoning') {
      for (const part of recordsOf(item.summary)) text += stringOf(part.text) ?? '';
    }
  }
  return text;
}
