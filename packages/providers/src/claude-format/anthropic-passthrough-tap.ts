import type { StreamTap, StreamTapOptions } from '../adapter.js';
import { MessageEventConverter } from '../anthropic/message-events.js';
import { CUT_SHORT } from '../anthropic/message-stream-tap.js';
import { parseStreamEvent } from '../anthropic/stream-event.js';
import type { SseError } from '../openai-sse/error-event.js';
import { sseEventData } from '../openai-sse/event-data.js';
import { SseEventSplitter } from '../openai-sse/event-splitter.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { claudeSseError } from './claude-sse-error.js';

const EMPTY = Buffer.alloc(0);
const MESSAGE_STOP = Buffer.from('event: message_stop\ndata: {"type":"message_stop"}\n\n');

/**
 * Anthropic's stream to a Claude client, byte for byte. Only whole events are sent, so that an
 * error can always follow as an event of its own; each is also read by the converter the
 * Anthropic adapter uses, for the usage, the text and whether the stream ended properly. What
 * the converter writes in OpenAI's format is not used.
 */
export class AnthropicPassthroughTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #splitter = new SseEventSplitter();
  readonly #reader: MessageEventConverter;
  #cutShort = false;

  constructor(options: StreamTapOptions) {
    this.#reader = new MessageEventConverter({
      stripUsageChunk: true,
      collectText: options.collectText,
      model: options.request.model,
    });
  }

  get usage(): UpstreamUsage | undefined {
    return this.#reader.usage;
  }

  get completionText(): string | undefined {
    return this.#reader.completionText;
  }

  get failed(): boolean {
    return this.#reader.failed || this.#cutShort;
  }

  push(chunk: Buffer): Buffer {
    const events = this.#splitter.push(chunk);
    if (events.length === 0) return EMPTY;
    for (const event of events) this.#read(event);
    return events.length === 1 ? (events[0] as Buffer) : Buffer.concat(events);
  }

  end(): Buffer {
    // A last event without its blank line still counts, and goes out with one.
    const tail = this.#splitter.flush();
    const out = tail ? [tail, Buffer.from('\n\n')] : [];
    if (tail) this.#read(tail);
    const reader = this.#reader;
    if (!reader.done && !reader.failed) {
      if (reader.finished) {
        // The answer is whole; only message_stop was lost.
        out.push(MESSAGE_STOP);
      } else {
        this.#cutShort = true;
        out.push(claudeSseError(CUT_SHORT));
      }
    }
    return out.length > 0 ? Buffer.concat(out) : EMPTY;
  }

  endWithError(error: SseError): Buffer {
    this.#splitter.flush();
    return claudeSseError(error);
  }

  #read(event: Buffer): void {
    const data = sseEventData(event);
    if (data !== undefined) this.#reader.convert(parseStreamEvent(data));
  }
}
