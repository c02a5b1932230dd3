import { openAIChunkText } from './openai-chunk-text.js';
import { parseOpenAIUsage, type UpstreamUsage } from './openai-usage.js';
import { sseErrorEvent, type SseError } from './error-event.js';
import { sseEventData } from './event-data.js';
import { SseEventSplitter } from './event-splitter.js';

export interface OpenAIStreamTapOptions {
  /**
   * Remove the usage-only chunk (`"choices":[]` with a usage object): the gateway asked
   * for usage with `stream_options.include_usage`, the client did not.
   */
  stripUsageChunk: boolean;
  /** Collect the generated text, for counting tokens when the upstream reports no usage. */
  collectText?: boolean;
}

const EMPTY = Buffer.alloc(0);
const EVENT_BREAK = Buffer.from('\n\n');
const USAGE_KEY = Buffer.from('"usage"');
const NULL = Buffer.from('null');
const COLON = 0x3a;

/**
 * Watches an OpenAI chat or legacy completions stream on its way to the client: the usage
 * the upstream reported, and on request the generated text.
 * Without stripping, each chunk goes out as it came, at once; with stripping, only the
 * bytes of an unfinished event wait. Pushed chunks must not be modified afterwards.
 */
export class OpenAIStreamTap {
  readonly #splitter = new SseEventSplitter();
  readonly #strip: boolean;
  #usage: UpstreamUsage | undefined;
  /** The chunks pushed, kept to read the text only if asked. */
  #chunks: Buffer[] | undefined;
  /** end() read an unterminated last event: the text counts it too. */
  #tailRead = false;
  #text: string | undefined;

  constructor(options: OpenAIStreamTapOptions) {
    this.#strip = options.stripUsageChunk;
    if (options.collectText) this.#chunks = [];
  }

  /** The last usage the upstream reported, on a usage-only chunk or on a content chunk. */
  get usage(): UpstreamUsage | undefined {
    return this.#usage;
  }

  /**
   * Content, legacy text, reasoning and tool-call arguments; undefined unless collected. Read
   * from the kept events on first access: streams that report usage never parse their chunks.
   */
  get completionText(): string | undefined {
    if (this.#text === undefined && this.#chunks) {
      const splitter = new SseEventSplitter();
      const events = this.#chunks.flatMap((chunk) => splitter.push(chunk));
      const tail = this.#tailRead ? splitter.flush() : undefined;
      if (tail) events.push(tail);
      this.#text = '';
      for (const event of events) this.#text += openAIChunkText(parseChunk(event));
    }
    return this.#text;
  }

  /** The bytes to send to the client for this upstream chunk. */
  push(chunk: Buffer): Buffer {
    this.#chunks?.push(chunk);
    // The usual chunk: whole events, none reporting usage. It goes out as it came, unsplit.
    if (this.#splitter.cutsWhole(chunk) && !hasNonNullUsage(chunk)) {
      return chunk;
    }
    const events = this.#splitter.push(chunk);
    if (!this.#strip) {
      for (const event of events) this.#inspect(event);
      return chunk;
    }
    // Usually nothing is stripped: the events then go out as they are, without a filtered copy.
    let kept: Buffer[] | undefined;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as Buffer;
      if (this.#inspect(event)) kept ??= events.slice(0, i);
      else kept?.push(event);
    }
    return joinViews(kept ?? events);
  }

  /** The bytes still owed to the client once the upstream stream has ended. */
  end(): Buffer {
    const tail = this.#splitter.flush();
    // An unterminated last event is read too: sloppy upstreams end without the blank line.
    if (tail === undefined) return EMPTY;
    this.#tailRead = true;
    const usageOnly = this.#inspect(tail);
    return this.#strip && !usageOnly ? tail : EMPTY;
  }

  /** The bytes that end the client's stream with this error after an upstream failure. */
  endWithError(error: SseError): Buffer {
    // Without stripping the client already has the start of any unfinished event: close
    // it, or the error's data line would be glued onto it. With stripping it never left.
    const closeEvent = !this.#strip && this.#splitter.midEvent;
    this.#splitter.flush();
    const event = sseErrorEvent(error);
    return closeEvent ? Buffer.concat([EVENT_BREAK, event]) : event;
  }

  /** Records what the event says; true when it is the usage-only chunk. */
  #inspect(event: Buffer): boolean {
    // The hot path: ordinary chunks say `"usage":null` or nothing, and are not parsed.
    if (!hasNonNullUsage(event)) return false;
    const chunk = parseChunk(event);
    const usage = chunk?.usage;
    if (typeof usage !== 'object' || usage === null) return false;
    this.#usage = parseOpenAIUsage(usage) ?? this.#usage;
    const choices = chunk?.choices;
    return Array.isArray(choices) && choices.length === 0;
  }
}

type Chunk = { choices?: unknown; usage?: unknown } | null | undefined;

/** The event's JSON chunk; undefined for `[DONE]`, comments and what does not parse. */
function parseChunk(event: Buffer): Chunk {
  const data = sseEventData(event);
  if (data === undefined || data.startsWith('[DONE]')) return undefined;
  try {
    return JSON.parse(data) as Chunk;
  } catch {
    return undefined;
  }
}

/**
 * Whether a `"usage"` key in the event is followed by something other than `null`. The
 * bytes `"usage"` cannot occur inside a JSON string (its quotes would be escaped), so
 * this never misses a usage object.
 */
function hasNonNullUsage(event: Buffer): boolean {
  for (let at = indexOfUsageKey(event, 0); at !== -1; at = indexOfUsageKey(event, at + 1)) {
    let i = skipSpaces(event, at + USAGE_KEY.length);
    if (event[i] !== COLON) continue;
    i = skipSpaces(event, i + 1);
    if (!bytesAt(event, NULL, i)) return true;
  }
  return false;
}

/** How far the search may move on when the last byte under the key is this one (Horspool). */
const USAGE_KEY_SHIFT = new Uint8Array(256).fill(USAGE_KEY.length);
for (let i = 0; i < USAGE_KEY.length - 1; i++) {
  USAGE_KEY_SHIFT[USAGE_KEY[i] as number] = USAGE_KEY.length - 1 - i;
}

/**
 * Horspool's search: most bytes of an event are not in the key, so it looks at about one byte
 * in seven. Four times cheaper than a byte loop or Buffer#indexOf (whose call costs more than
 * the search) on events of a few hundred bytes.
 */
function indexOfUsageKey(buf: Buffer, from: number): number {
  const lastOfKey = USAGE_KEY.length - 1;
  const keyEnd = USAGE_KEY[lastOfKey];
  for (let i = from; i + lastOfKey < buf.length;) {
    const byte = buf[i + lastOfKey] as number;
    if (byte === keyEnd && bytesAt(buf, USAGE_KEY, i)) return i;
    i += USAGE_KEY_SHIFT[byte] as number;
  }
  return -1;
}

function skipSpaces(buf: Buffer, from: number): number {
  let i = from;
  while (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d) i += 1;
  return i;
}

function bytesAt(buf: Buffer, bytes: Buffer, at: number): boolean {
  if (at + bytes.length > buf.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

/** The parts as one buffer: views lying back to back in one chunk are joined without a copy. */
function joinViews(parts: Buffer[]): Buffer {
  const first = parts[0];
  if (first === undefined) return EMPTY;
  if (parts.length === 1) return first;
  let length = first.length;
  for (let i = 1; i < parts.length; i += 1) {
    const part = parts[i] as Buffer;
    if (part.buffer !== first.buffer || part.byteOffset !== first.byteOffset + length) {
      return Buffer.concat(parts);
    }
    length += part.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, length);
}
