import type { StreamTap, StreamTapOptions } from '../adapter.js';
import { MessageEventConverter } from '../anthropic/message-events.js';
import { CUT_SHORT } from '../anthropic/message-stream-tap.js';
import { parseStreamEvent } from '../anthropic/stream-event.js';
import { sseErrorEvent, type SseError } from '../openai-sse/error-event.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { EventStreamFrameError, EventStreamFrames } from './event-stream-frames.js';
import { streamExceptionError } from './stream-exception.js';

const EMPTY = Buffer.alloc(0);

/** What the client reads when Bedrock's binary framing cannot be read. */
const UNREADABLE: SseError = {
  message: 'The upstream sent an event stream that cannot be read.',
  type: 'upstream_error',
  code: 'bad_upstream_stream',
};

/**
 * Reads Bedrock's binary event stream (`application/vnd.amazon.eventstream`) for Claude: each
 * `chunk` frame holds one Anthropic stream event, converted to OpenAI chunks as for Anthropic; an
 * exception frame (throttling, a model error) becomes OpenAI's error event and ends the answer.
 */
export class BedrockStreamTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #frames = new EventStreamFrames();
  readonly #converter: MessageEventConverter;
  /** The stream broke inside Bedrock's framing or held an exception; nothing more is sent. */
  #broken = false;

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
    return this.#converter.failed || this.#broken;
  }

  push(chunk: Buffer): Buffer {
    if (this.#broken) return EMPTY;
    let out = '';
    try {
      for (const frame of this.#frames.push(chunk)) {
        if (frame.kind === 'chunk') {
          out += this.#converter.convert(parseStreamEvent(frame.payload));
        } else if (frame.kind === 'exception') {
          return this.#fail(out, streamExceptionError(frame.type, frame.message));
        }
      }
    } catch (error) {
      if (!(error instanceof EventStreamFrameError)) throw error;
      return this.#fail(out, UNREADABLE);
    }
    return out ? Buffer.from(out) : EMPTY;
  }

  end(): Buffer {
    const converter = this.#converter;
    if (this.#broken || converter.done || converter.failed) return EMPTY;
    // The answer is whole and only message_stop was lost; otherwise the stream was cut short.
    if (converter.finished && !this.#frames.incomplete) return Buffer.from('data: [DONE]\n\n');
    this.#broken = true;
    return sseErrorEvent(CUT_SHORT);
  }

  endWithError(error: SseError): Buffer {
    this.#broken = true;
    return sseErrorEvent(error);
  }

  #fail(before: string, error: SseError): Buffer {
    this.#broken = true;
    return Buffer.concat([Buffer.from(before), sseErrorEvent(error)]);
  }
}
