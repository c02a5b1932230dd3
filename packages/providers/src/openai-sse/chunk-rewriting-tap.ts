import type { StreamTap } from '../adapter.js';
import { isRecord, numberOf, parseJson, stringOf, type JsonObject } from '../json-values.js';
import type { SseError } from './error-event.js';
import { sseEventData } from './event-data.js';
import { SseEventSplitter } from './event-splitter.js';
import type { UpstreamUsage } from './openai-usage.js';

const EMPTY = Buffer.alloc(0);

/** Writes a client format's stream events from OpenAI chat chunks, one chunk at a time. */
export interface ChunkEventWriter {
  chunk(chunk: JsonObject): string;
  /** The stream's end; idempotent. */
  finish(): string;
  /** The failure's events; `last`: the gateway ends the stream with it, nothing follows. */
  error(error: SseError, last?: boolean): string;
}

/**
 * A client's stream in its own format (Claude, Responses, Gemini) from any tap that writes
 * OpenAI's chunks (the OpenAI pass-through, or the Anthropic, Gemini and Bedrock converters):
 * their output is cut into whole events and each is written again by the format's writer. The
 * inner tap still reads the usage and the text the relay bills.
 */
export class ChunkRewritingTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #inner: StreamTap;
  readonly #splitter = new SseEventSplitter();
  readonly #writer: ChunkEventWriter;

  constructor(inner: StreamTap, writer: ChunkEventWriter) {
    this.#inner = inner;
    this.#writer = writer;
  }

  get usage(): UpstreamUsage | undefined {
    return this.#inner.usage;
  }

  get completionText(): string | undefined {
    return this.#inner.completionText;
  }

  get failed(): boolean | undefined {
    return this.#inner.failed;
  }

  push(chunk: Buffer): Buffer {
    return bytesOf(this.#read(this.#splitter.push(this.#inner.push(chunk))));
  }

  /** What the inner tap still owed, then the stream's end if `[DONE]` never came. */
  end(): Buffer {
    const events = this.#splitter.push(this.#inner.end());
    // A last event without its blank line still counts.
    const tail = this.#splitter.flush();
    if (tail) events.push(tail);
    return bytesOf(this.#read(events) + this.#writer.finish());
  }

  endWithError(error: SseError): Buffer {
    return bytesOf(this.#writer.error(error, true));
  }

  #read(events: Buffer[]): string {
    let out = '';
    for (const event of events) {
      const data = sseEventData(event);
      if (data === undefined) continue;
      if (data.startsWith('[DONE]')) {
        out += this.#writer.finish();
        continue;
      }
      const chunk = parseJson(data);
      if (!isRecord(chunk)) continue;
      out +=
        chunk.error === undefined || chunk.error === null
          ? this.#writer.chunk(chunk)
          : this.#writer.error(sseErrorOf(chunk.error));
    }
    return out;
  }
}

/** An OpenAI error event's `error`, as untrusted as the rest of the stream. */
function sseErrorOf(error: unknown): SseError {
  const fields = isRecord(error) ? error : { message: error };
  const code = numberOf(fields.code)?.toString() ?? stringOf(fields.code) ?? null;
  return {
    message: stringOf(fields.message) ?? 'The upstream failed while answering.',
    type: stringOf(fields.type) ?? 'upstream_error',
    code,
  };
}

function bytesOf(text: string): Buffer {
  return text === '' ? EMPTY : Buffer.from(text);
}
