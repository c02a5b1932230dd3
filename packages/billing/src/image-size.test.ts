import { describe, expect, it } from 'vitest';
import { imageSizeFromDataUrl } from './image-size.js';

const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

function png(width: number, height: number): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(32);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

function webpExtended(width: number, height: number): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.write('WEBP', 8, 'latin1');
  b.write('VP8X', 12, 'latin1');
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

function webpLossless(width: number, height: number): Buffer {
  const b = Buffer.alloc(40);
  b.write('RIFF', 0, 'latin1');
  b.write('WEBP', 8, 'latin1');
  b.write('VP8L', 12, 'latin1');
  b[20] = 0x2f;
  b.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
  return b;
}

/** SOI, an APP1 (EXIF-like) segment of `exifBytes`, a DHT segment, then SOF2 (progressive). */
function jpeg(width: number, height: number, exifBytes: number): Buffer {
  const app1 = Buffer.alloc(4 + exifBytes);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(2 + exifBytes, 2);
  const dht = Buffer.from([0xff, 0xc4, 0x00, 0x04, 0x00, 0x00]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc2, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, dht, sof, Buffer.alloc(64)]);
}

describe('imageSizeFromDataUrl', () => {
  it.each([
    ['PNG', dataUrl('image/png', png(1920, 1080)), { width: 1920, height: 1080 }],
    ['GIF', dataUrl('image/gif', gif(320, 240)), { width: 320, height: 240 }],
    ['WebP (VP8X)', dataUrl('image/webp', webpExtended(4000, 3000)), { width: 4000, height: 3000 }],
    ['WebP (VP8L)', dataUrl('image/webp', webpLossless(640, 480)), { width: 640, height: 480 }],
    [
      'JPEG after 20 KB of EXIF',
      dataUrl('image/jpeg', jpeg(3024, 4032, 20_000)),
      { width: 3024, height: 4032 },
    ],
  ])('reads a %s size from its header', (_name, url, size) => {
    expect(imageSizeFromDataUrl(url)).toEqual(size);
  });

  it.each([
    ['a remote URL', 'https://example.com/cat.png'],
    ['a data URL that is not base64', 'data:image/svg+xml,<svg width="10" height="10"/>'],
    ['an unknown format', dataUrl('image/bmp', Buffer.from('BM' + '\0'.repeat(60)))],
    ['a truncated PNG', dataUrl('image/png', png(10, 10).subarray(0, 20))],
    ['a PNG with a zero width', dataUrl('image/png', png(0, 10))],
    ['garbage', 'data:image/png;base64,!!!!'],
  ])('gives up on %s', (_name, url) => {
    expect(imageSizeFromDataUrl(url)).toBeUndefined();
  });
});
