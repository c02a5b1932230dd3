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

/** A message is at least its 12-byte prelude and 4-byte CRC; Bedrock's limit is far below the cap. */
const MIN_MESSAGE = 16;
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
  private pending: Buffer = Buffer.alloc(0);

  /** The messages completed by this chunk; throws EventStreamFrameError on a broken stream. */
  push(chunk: Buffer): BedrockFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: BedrockFrame[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length < MIN_MESSAGE || length > MAX_MESSAGE) {
        throw new EventStreamFrameError(`an event stream message of ${length} bytes`);
      }
      if (this.pending.length < length) break;
      frames.push(readFrame(this.pending.subarray(0, length)));
      this.pending = this.pending.subarray(length);
    }
    return frames;
  }

  /** Bytes of an unfinished message are left: the stream was cut. */
  get incomplete(): boolean {
    return this.pending.length > 0;
  }
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
