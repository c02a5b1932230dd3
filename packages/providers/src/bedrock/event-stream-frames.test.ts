import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  EventStreamFrameError,
  EventStreamFrames,
  type BedrockFrame,
} from './event-stream-frames.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/bedrock/${name}`, import.meta.url));
const STREAMS = [
  'text-stream.bin',
  'tool-stream.bin',
  'throttled-stream.bin',
  'model-error-stream.bin',
];

function decodeIn(bytes: Buffer, cuts: number[]): BedrockFrame[] {
  const frames = new EventStreamFrames();
  const out: BedrockFrame[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...frames.push(bytes.subarray(from, cut)));
    from = cut;
  }
  expect(frames.incomplete).toBe(false);
  return out;
}

/** A message framed by hand (prelude, one string header, payload, CRC32s), not by the codec. */
/** A prelude announcing these lengths, with a correct CRC. */
function prelude(total: number, headers: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(total, 0);
  bytes.writeUInt32BE(headers, 4);
  bytes.writeUInt32BE(crc32(bytes.subarray(0, 8)), 8);
  return bytes;
}

function handFrame(headers: Record<string, string>, payload: string): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name);
      const v = Buffer.from(value);
      const fixed = Buffer.alloc(4);
      fixed.writeUInt8(7, 0); // string
      fixed.writeUInt16BE(v.length, 1);
      return Buffer.concat([Buffer.from([n.length]), n, fixed.subarray(0, 3), v]);
    }),
  );
  const body = Buffer.from(payload);
  const total = 12 + headerBytes.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, crc]);
}

describe('EventStreamFrames', () => {
  it('reads the Anthropic events of a Bedrock stream in order', () => {
    const frames = decodeIn(fixture('text-stream.bin'), []);
    const expected = JSON.parse(fixture('text-stream.events.json').toString()) as object[];
    expect(frames.map((f) => (f.kind === 'chunk' ? JSON.parse(f.payload) : f))).toEqual(expected);
  });

  it.each(STREAMS)(
    '%s: cut at every byte boundary and fed one byte at a time, the same frames',
    (name) => {
      const bytes = fixture(name);
      const whole = decodeIn(bytes, []);
      expect(whole.length).toBeGreaterThan(2);
      for (let cut = 1; cut < bytes.length; cut++) expect(decodeIn(bytes, [cut])).toEqual(whole);
      const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
      expect(decodeIn(bytes, everyByte)).toEqual(whole);
    },
  );

  it('reads exception messages with their type and message', () => {
    const frames = decodeIn(fixture('throttled-stream.bin'), []);
    expect(frames.at(-1)).toEqual({
      kind: 'exception',
      type: 'throttlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
    expect(decodeIn(fixture('model-error-stream.bin'), []).at(-1)).toMatchObject({
      type: 'modelStreamErrorException',
    });
  });

  it('reads a message framed by hand, and names an exception without a JSON body by its header', () => {
    const event = { type: 'message_stop' };
    const chunk = handFrame(
      { ':message-type': 'event', ':event-type': 'chunk' },
      JSON.stringify({ bytes: Buffer.from(JSON.stringify(event)).toString('base64') }),
    );
    const failure = handFrame(
      { ':message-type': 'exception', ':exception-type': 'internalServerException' },
      'oops',
    );
    expect(decodeIn(Buffer.concat([chunk, failure]), [5])).toEqual([
      { kind: 'chunk', payload: JSON.stringify(event) },
      { kind: 'exception', type: 'internalServerException', message: 'oops' },
    ]);
  });

  it('skips messages that are not chunk events', () => {
    const other = handFrame({ ':message-type': 'event', ':event-type': 'initial-response' }, '{}');
    expect(decodeIn(other, [])).toEqual([{ kind: 'other' }]);
  });

  it('refuses a garbled prelude as soon as its 12 bytes are in, not after its length', () => {
    const bytes = Buffer.from(fixture('text-stream.bin'));
    // A length of about 1 MB, under the cap: only the prelude's CRC tells it is wrong.
    bytes[1] = 0x10;
    expect(() => new EventStreamFrames().push(bytes.subarray(0, 12))).toThrow(/prelude/);
    const frames = new EventStreamFrames();
    expect(frames.push(bytes.subarray(0, 11))).toEqual([]);
    expect(() => frames.push(bytes.subarray(11, 12))).toThrow(EventStreamFrameError);
  });

  it('says a cut stream is incomplete', () => {
    const frames = new EventStreamFrames();
    const bytes = fixture('text-stream.bin');
    frames.push(bytes.subarray(0, bytes.length - 3));
    expect(frames.incomplete).toBe(true);
  });

  it.each([
    [
      'a CRC mismatch',
      () => {
        const bytes = Buffer.from(fixture('text-stream.bin'));
        bytes[40] = bytes[40]! ^ 0xff;
        return bytes;
      },
    ],
    ['an absurd length', () => prelude(0xffffffff, 0)],
    ['a length below the prelude', () => prelude(3, 0)],
    ['headers longer than the message', () => prelude(100, 90)],
    [
      'a chunk whose body is not JSON',
      () => handFrame({ ':message-type': 'event', ':event-type': 'chunk' }, 'nope'),
    ],
    [
      'a chunk without base64 bytes',
      () => handFrame({ ':message-type': 'event', ':event-type': 'chunk' }, '{"bytes":42}'),
    ],
  ])('refuses %s', (_case, make) => {
    expect(() => new EventStreamFrames().push(make())).toThrow(EventStreamFrameError);
  });
});
