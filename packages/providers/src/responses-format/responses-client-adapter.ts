import type { AnswerReader, ClientRequest, ProviderAdapter, UpstreamRequest } from '../adapter.js';
import { parseJson } from '../json-values.js';
import { responseOfChat } from './responses-answer.js';
import type { EchoedRequest } from './responses-object.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';

const readers = new WeakMap<AnswerReader, AnswerReader>();
const adapters = new WeakMap<ProviderAdapter, ProviderAdapter>();

/**
 * A Responses client on a channel that does not speak the Responses API: the channel's adapter
 * gets the hub request (OpenAI chat, converted from the client's), and the OpenAI answer it makes
 * of its upstream's is turned into a Response. Built once per adapter.
 */
export function responsesClientAdapter(inner: ProviderAdapter): ProviderAdapter {
  let adapter = adapters.get(inner);
  if (adapter === undefined) {
    adapter = {
      ...responsesReaderOf(inner),
      buildRequest(channel, request) {
        const built = inner.buildRequest(channel, request);
        return built instanceof Promise
          ? built.then(withResponsesReader)
          : withResponsesReader(built);
      },
    };
    adapters.set(inner, adapter);
  }
  return adapter;
}

/** An adapter that reads this request's answer with a reader of its own (Vertex AI) keeps it. */
function withResponsesReader(upstream: UpstreamRequest): UpstreamRequest {
  return upstream.reader ? { ...upstream, reader: responsesReaderOf(upstream.reader) } : upstream;
}

function responsesReaderOf(inner: AnswerReader): AnswerReader {
  let reader = readers.get(inner);
  if (reader === undefined) {
    reader = {
      usageOf: (body) => inner.usageOf(body),
      clientAnswer(body, request) {
        const chat = inner.clientAnswer(body, request).toString('utf8');
        return Buffer.from(JSON.stringify(responseOfChat(parseJson(chat), echoOf(request))));
      },
      // The Responses stream ends with the usage, so the OpenAI usage chunk is always read.
      streamTap: (options) =>
        new ResponsesStreamTap(
          inner.streamTap({ ...options, stripUsageChunk: false }),
          echoOf(options.request),
        ),
      completionTextOf: (body) => inner.completionTextOf(body),
      // OpenAI-shaped like every other failure, which is the Responses API's error shape too.
      clientError: (channel, status, text) => inner.clientError(channel, status, text),
    };
    readers.set(inner, reader);
  }
  return reader;
}

/** The client's own request, which the Response echoes. */
function echoOf(request: ClientRequest): EchoedRequest {
  return { model: request.model, body: request.native?.json ?? {} };
}
