import type { AnswerReader, ProviderAdapter, UpstreamRequest } from '../adapter.js';
import { parseJson } from '../json-values.js';
import { generateContentOfChat } from './gemini-client-answer.js';
import { GeminiClientStreamTap } from './gemini-client-stream-tap.js';

const readers = new WeakMap<AnswerReader, AnswerReader>();
const adapters = new WeakMap<ProviderAdapter, ProviderAdapter>();

/**
 * A Gemini client on a channel that does not speak Gemini's API: the channel's adapter gets the
 * hub request (OpenAI chat, converted from the client's), and the OpenAI answer it makes of its
 * upstream's is turned into a GenerateContentResponse. Built once per adapter.
 */
export function geminiClientAdapter(inner: ProviderAdapter): ProviderAdapter {
  let adapter = adapters.get(inner);
  if (adapter === undefined) {
    adapter = {
      ...geminiReaderOf(inner),
      buildRequest(channel, request) {
        const built = inner.buildRequest(channel, request);
        return built instanceof Promise ? built.then(withGeminiReader) : withGeminiReader(built);
      },
    };
    adapters.set(inner, adapter);
  }
  return adapter;
}

/** An adapter that reads this request's answer with a reader of its own (Vertex AI) keeps it. */
function withGeminiReader(upstream: UpstreamRequest): UpstreamRequest {
  return upstream.reader ? { ...upstream, reader: geminiReaderOf(upstream.reader) } : upstream;
}

function geminiReaderOf(inner: AnswerReader): AnswerReader {
  let reader = readers.get(inner);
  if (reader === undefined) {
    reader = {
      usageOf: (body) => inner.usageOf(body),
      clientAnswer(body, request) {
        const chat = inner.clientAnswer(body, request).toString('utf8');
        return Buffer.from(JSON.stringify(generateContentOfChat(parseJson(chat), request.model)));
      },
      // The Gemini stream ends with the usage, so the OpenAI usage chunk is always read.
      streamTap: (options) =>
        new GeminiClientStreamTap(
          inner.streamTap({ ...options, stripUsageChunk: false }),
          options.request.model,
        ),
      completionTextOf: (body) => inner.completionTextOf(body),
      // OpenAI-shaped like every other failure: the relay answers it in the client's format.
      clientError: (channel, status, text) => inner.clientError(channel, status, text),
    };
    readers.set(inner, reader);
  }
  return reader;
}
