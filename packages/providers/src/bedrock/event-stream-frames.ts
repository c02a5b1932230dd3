import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/core/event-streams';

/** One message of an AWS event stream, as Bedrock's streamed answers send them. */
export type BedrockFrame =
  | { kind: 'chunk'; payload: string }
  | { kind: 'exception'; type: string; message: string }
  | { kind: 'other' };

/** The frame cannot be read: bad lengths, a CRC mismatch or a payload that is not JSON. */
export class EventStreamFrameError extends Error {
  override readonly name = 'EventStreamFrameError';
}

/** The prelude: total length, headers length, and the CRC of those 8 bytes. */
const PRELUDE = 12;
/** A message is at least its prelude and 4-byte CRC; Bedrock's limit is far below the cap. */
const MIN_MESSAGE = PRELUDE + 4;
const MAX_MESSAGE = 16 * 1024 * 1024;

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/**
 * Splits the binary event stream (`application/vnd.amazon.eventstream`) into messages across
 * arbitrary chunk boundaries: each message starts with its total length, so bytes are kept until
 * a whole one is there; the codec then checks both CRCs and reads the headers.
 */
export class EventStreamFrames {
  /** Bytes received and not yet read, in the pieces they came in (joined only when read). */
  private pieces: Buffer[] = [];
  private buffered = 0;
  /** The length of the message being received, once its prelude has been checked; else 0. */
  private expected = 0;

  /** The messages completed by this chunk; throws EventStreamFrameError on a broken stream. */
  push(chunk: Buffer): BedrockFrame[] {
    if (chunk.length > 0) {
      this.pieces.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: BedrockFrame[] = [];
    for (;;) {
      if (this.expected === 0) {
        if (this.buffered < PRELUDE) break;
        this.expected = messageLength(this.peek(PRELUDE));
      }
      if (this.buffered < this.expected) break;
      const message = this.peek(this.expected);
      this.drop(this.expected);
      this.expected = 0;
      frames.push(readFrame(message));
    }
    return frames;
  }

  /** Bytes of an unfinished message are left: the stream was cut. */
  get incomplete(): boolean {
    return this.buffered > 0;
  }

  private peek(length: number): Buffer {
    if (this.pieces.length > 1) this.pieces = [Buffer.concat(this.pieces, this.buffered)];
    return this.pieces[0]!.subarray(0, length);
  }

  private drop(length: number): void {
    const rest = this.pieces[0]!.subarray(length);
    this.pieces = rest.length > 0 ? [rest] : [];
    this.buffered -= length;
  }
}

/**
 * The total length a prelude announces, checked before its bytes are awaited: a garbled length
 * would otherwise hold the stream until megabytes that never come.
 */
function messageLength(prelude: Buffer): number {
  if (crc32(prelude.subarray(0, 8)) !== prelude.readUInt32BE(8)) {
    throw new EventStreamFrameError('an event stream message whose prelude fails its CRC');
  }
  const length = prelude.readUInt32BE(0);
  const headersLength = prelude.readUInt32BE(4);
  if (length < MIN_MESSAGE || length > MAX_MESSAGE || headersLength > length - MIN_MESSAGE) {
    throw new EventStreamFrameError(
      `an event stream message of ${length} bytes with ${headersLength} bytes of headers`,
    );
  }
  return length;
}

function readFrame(bytes: Buffer): BedrockFrame {
  let message;
  try {
    message = codec.decode(bytes);
  } catch (error) {
    throw new EventStreamFrameError(`an unreadable event stream message: ${String(error)}`);
  }
  const header = (name: string) => {
    const value = message.headers[name];
    return value?.type === 'string' ? value.value : undefined;
  };
  const body = Buffer.from(message.body).toString('utf8');
  const messageType = header(':message-type');
  if (messageType === 'exception' || messageType === 'error') {
    const type = header(':exception-type') ?? header(':error-code') ?? 'exception';
    return { kind: 'exception', type, message: exceptionMessage(body, header(':error-message')) };
  }
  if (messageType !== 'event' || header(':event-type') !== 'chunk') return { kind: 'other' };
  return { kind: 'chunk', payload: chunkPayload(body) };
}

/** A `chunk` event's body is `{"bytes":"<base64 of the model's JSON event>"}`. */
function chunkPayload(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new EventStreamFrameError('a chunk event whose body is not JSON');
  }
  const bytes = (parsed as { bytes?: unknown } | null)?.bytes;
  if (typeof bytes !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(bytes)) {
    throw new EventStreamFrameError('a chunk event without base64 bytes');
  }
  return Buffer.from(bytes, 'base64').toString('utf8');
}

function exceptionMessage(body: string, fallback: string | undefined): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown; Message?: unknown } | null) ?? {};
    const text = message.message ?? message.Message;
    if (typeof text === 'string' && text) return text;
  } catch {
    // An exception without a JSON body still ends the stream; its header or type names it.
  }
  return fallback ?? (body.trim() || 'the model stream failed');
}
