import type { StreamTap, StreamTapOptions } from '../adapter.js';
import { sseErrorEvent, type SseError } from '../openai-sse/error-event.js';
import { sseEventData } from '../openai-sse/event-data.js';
import { SseEventSplitter } from '../openai-sse/event-splitter.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { parseStreamEvent } from './stream-event.js';
import { MessageEventConverter } from './message-events.js';

const EMPTY = Buffer.alloc(0);

/** What the client reads when the stream closes cleanly before Anthropic said it was over. */
export const CUT_SHORT: SseError = {
  message: 'The upstream stream ended before the answer was complete.',
  type: 'upstream_error',
  code: 'stream_interrupted',
};

/**
 * Reads Anthropic's SSE (`event: …` + `data: {…}`) into OpenAI chunk events. Only whole events
 * reach the client, so an error can always be appended as an event of its own. The event name
 * line is not needed: each data object carries its `type`.
 */
export class MessageStreamTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #splitter = new SseEventSplitter();
  readonly #converter: MessageEventConverter;
  #cutShort = false;

  constructor(options: StreamTapOptions) {
    this.#converter = new MessageEventConverter({
      stripUsageChunk: options.stripUsageChunk,
      collectText: options.collectText,
      model: options.request.model,
    });
  }

  get usage(): UpstreamUsage | undefined {
    return this.#converter.usage;
  }

  get completionText(): string | undefined {
    return this.#converter.completionText;
  }

  get failed(): boolean {
    return this.#converter.failed || this.#cutShort;
  }

  push(chunk: Buffer): Buffer {
    let out = '';
    for (const event of this.#splitter.push(chunk)) out += this.#read(event);
    return out ? Buffer.from(out) : EMPTY;
  }

  end(): Buffer {
    const tail = this.#splitter.flush();
    // A last event without its blank line still counts.
    let out = tail ? this.#read(tail) : '';
    const converter = this.#converter;
    if (!converter.done && !converter.failed) {
      if (converter.finished) {
        // The answer is whole; only message_stop was lost.
        out += 'data: [DONE]\n\n';
      } else {
        this.#cutShort = true;
        out += sseErrorEvent(CUT_SHORT).toString();
      }
    }
    return out ? Buffer.from(out) : EMPTY;
  }

  endWithError(error: SseError): Buffer {
    this.#splitter.flush();
    return sseErrorEvent(error);
  }

  #read(event: Buffer): string {
    const data = sseEventData(event);
    return data === undefined ? '' : this.#converter.convert(parseStreamEvent(data));
  }
}
