import type { StreamTap, StreamTapOptions } from '../adapter.js';
import { CUT_SHORT } from '../anthropic/message-stream-tap.js';
import { candidatePieces } from '../gemini/candidate-parts.js';
import { geminiUsage } from '../gemini/gemini-usage.js';
import { isRecord, parseJson, recordsOf } from '../json-values.js';
import type { SseError } from '../openai-sse/error-event.js';
import { sseEventData } from '../openai-sse/event-data.js';
import { SseEventSplitter } from '../openai-sse/event-splitter.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { geminiErrorEvent, geminiSseError } from './gemini-sse-error.js';

const EMPTY = Buffer.alloc(0);
const EVENT_END = Buffer.from('\r\n\r\n');

/**
 * Gemini's stream to a Gemini client, byte for byte. Only whole events are sent, so that an error
 * can always follow as an event of its own; each is also read for the usage, an error, and on
 * request the generated text. Gemini repeats a partial usage (the prompt alone) on early events:
 * only the counts that come with the finish reason (or a refused prompt) count, or a stream cut
 * short would bill no output. Errors end the stream as gemini-sse-error.ts tells: Google's error
 * event gets its bare copy at the end; Google's bare error JSON goes out as an event and bare.
 */
export class GeminiPassthroughTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #splitter = new SseEventSplitter();
  #text: string | undefined;
  #usage: UpstreamUsage | undefined;
  /** An event said the answer is over (a finish reason, a refused prompt). */
  #final = false;
  /** The upstream's error JSON, once it reported one. */
  #error: string | undefined;
  /** Its bare copy is still owed to the client. */
  #bareOwed = false;
  #cutShort = false;

  constructor(options: StreamTapOptions) {
    if (options.collectText) this.#text = '';
  }

  get usage(): UpstreamUsage | undefined {
    return this.#usage;
  }

  get completionText(): string | undefined {
    return this.#text;
  }

  get failed(): boolean {
    return this.#error !== undefined || this.#cutShort;
  }

  push(chunk: Buffer): Buffer {
    const events = this.#splitter.push(chunk);
    if (events.length === 0) return EMPTY;
    const out = events.map((event) => this.#pass(event));
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }

  end(): Buffer {
    const out: Buffer[] = [];
    // A last event without its blank line still counts, and goes out with one; one cut off
    // inside its JSON never went out and is left out: the error ending tells what happened.
    const tail = this.#splitter.flush();
    const data = tail && sseEventData(tail);
    if (tail && (data === undefined || parseJson(data) !== undefined)) {
      const passed = this.#pass(tail);
      out.push(passed);
      // A bare error went out as an ending of its own.
      if (passed === tail) out.push(EVENT_END);
    }
    if (this.#error === undefined && !this.#final) {
      this.#cutShort = true;
      out.push(geminiSseError(CUT_SHORT));
    }
    out.push(this.#owed());
    return Buffer.concat(out);
  }

  endWithError(error: SseError): Buffer {
    this.#splitter.flush();
    return this.#error === undefined ? geminiSseError(error) : this.#owed();
  }

  /** The bytes the client gets for one whole event: itself, unless it is a bare error. */
  #pass(event: Buffer): Buffer {
    const data = sseEventData(event);
    if (data !== undefined) {
      this.#read(data);
      return event;
    }
    const bare = parseJson(event.toString('utf8'));
    if (!isRecord(bare) || bare.error === undefined || this.#error !== undefined) return event;
    this.#error = JSON.stringify(bare);
    return Buffer.from(geminiErrorEvent(this.#error) + this.#error);
  }

  #owed(): Buffer {
    if (!this.#bareOwed || this.#error === undefined) return EMPTY;
    this.#bareOwed = false;
    return Buffer.from(this.#error);
  }

  #read(data: string): void {
    const response = parseJson(data);
    if (!isRecord(response)) return;
    if (response.error !== undefined) {
      if (this.#error === undefined) {
        this.#error = JSON.stringify({ error: response.error });
        this.#bareOwed = true;
      }
      return;
    }
    const candidates = recordsOf(response.candidates);
    const feedback = response.promptFeedback;
    this.#final ||=
      (isRecord(feedback) && feedback.blockReason !== undefined) ||
      candidates.some((candidate) => candidate.finishReason !== undefined);
    if (this.#final) this.#usage = geminiUsage(response.usageMetadata) ?? this.#usage;
    if (this.#text === undefined) return;
    for (const candidate of candidates) {
      for (const piece of candidatePieces(candidate)) {
        this.#text += piece.kind === 'call' ? piece.args : piece.text;
      }
    }
  }
}
