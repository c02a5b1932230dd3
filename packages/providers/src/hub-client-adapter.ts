import type {
  AnswerReader,
  ClientRequest,
  ProviderAdapter,
  StreamTap,
  UpstreamRequest,
} from './adapter.js';
import { parseJson } from './json-values.js';

/** How a client format's answers are made of the hub's (OpenAI chat). */
export interface HubConversion {
  /** A whole OpenAI chat answer in the client's format. */
  answerOf(chat: unknown, request: ClientRequest): unknown;
  /** The client's stream from a tap that writes OpenAI chat chunks. */
  streamOf(inner: StreamTap, request: ClientRequest): StreamTap;
}

/**
 * For a client format, the adapter that serves it on a channel that does not speak it: the
 * channel's adapter gets the hub request (OpenAI chat, converted from the client's), and the
 * OpenAI answer it makes of its upstream's is converted for the client. Built once per adapter
 * and per reader, so the relay's hot path allocates nothing for it.
 */
export function hubClientAdapters(
  conversion: HubConversion,
): (inner: ProviderAdapter) => ProviderAdapter {
  const readers = new WeakMap<AnswerReader, AnswerReader>();
  const adapters = new WeakMap<ProviderAdapter, ProviderAdapter>();

  function readerOf(inner: AnswerReader): AnswerReader {
    let reader = readers.get(inner);
    if (reader === undefined) {
      reader = {
        usageOf: (body) => inner.usageOf(body),
        clientAnswer(body, request) {
          const chat = inner.clientAnswer(body, request).toString('utf8');
          return Buffer.from(JSON.stringify(conversion.answerOf(parseJson(chat), request)));
        },
        // Every client format ends its stream with the usage: the OpenAI usage chunk is read.
        streamTap: (options) =>
          conversion.streamOf(
            inner.streamTap({ ...options, stripUsageChunk: false }),
            options.request,
          ),
        completionTextOf: (body) => inner.completionTextOf(body),
        // OpenAI-shaped like every other failure: the relay answers it in the client's format.
        clientError: (channel, status, text) => inner.clientError(channel, status, text),
      };
      readers.set(inner, reader);
    }
    return reader;
  }

  /** An adapter that reads this request's answer with a reader of its own (Vertex AI) keeps it. */
  function withReader(upstream: UpstreamRequest): UpstreamRequest {
    return upstream.reader ? { ...upstream, reader: readerOf(upstream.reader) } : upstream;
  }

  return (inner) => {
    let adapter = adapters.get(inner);
    if (adapter === undefined) {
      adapter = {
        ...readerOf(inner),
        buildRequest(channel, request) {
          const built = inner.buildRequest(channel, request);
          return built instanceof Promise ? built.then(withReader) : withReader(built);
        },
      };
      adapters.set(inner, adapter);
    }
    return adapter;
  };
}
