import type { ImageSize } from './image-tokens.js';

// JPEG may put EXIF or ICC data (tens of KB) before its size; PNG, GIF and WebP need 30 bytes.
const HEADER_BYTES = 64 * 1024;

/**
 * The size of a base64 `data:` URL image (PNG, JPEG, GIF or WebP) read from its header,
 * without decoding the rest; undefined for remote URLs and anything unrecognised.
 */
export function imageSizeFromDataUrl(url: string): ImageSize | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) return undefined;
  // A multiple of 4 base64 characters decodes to whole bytes.
  const header = Buffer.from(url.slice(comma + 1, comma + 1 + (HEADER_BYTES / 3) * 4), 'base64');
  return pngSize(header) ?? gifSize(header) ?? webpSize(header) ?? jpegSize(header);
}

function pngSize(b: Buffer): ImageSize | undefined {
  if (
    b.length < 24 ||
    b.readUInt32BE(0) !== 0x89504e47 ||
    b.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    return undefined;
  }
  return valid(b.readUInt32BE(16), b.readUInt32BE(20));
}

function gifSize(b: Buffer): ImageSize | undefined {
  if (b.length < 10 || b.toString('latin1', 0, 4) !== 'GIF8') return undefined;
  return valid(b.readUInt16LE(6), b.readUInt16LE(8));
}

function webpSize(b: Buffer): ImageSize | undefined {
  if (
    b.length < 30 ||
    b.toString('latin1', 0, 4) !== 'RIFF' ||
    b.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    return undefined;
  }
  switch (b.toString('latin1', 12, 16)) {
    case 'VP8 ': // lossy: 14-bit sizes after the key frame's start code
      return valid(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    case 'VP8L': {
      // lossless: width − 1 and height − 1 packed as two 14-bit fields
      const bits = b.readUInt32LE(21);
      return valid((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    case 'VP8X': // extended: 24-bit width − 1 and height − 1
      return valid(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
    default:
      return undefined;
  }
}

function jpegSize(b: Buffer): ImageSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 <= b.length) {
    if (b[offset] !== 0xff) return undefined;
    const marker = b[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    // Start-of-frame markers carry the size; C4 (Huffman), C8 and CC (arithmetic) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return valid(b.readUInt16BE(offset + 7), b.readUInt16BE(offset + 5));
    }
    offset += 2 + b.readUInt16BE(offset + 2);
  }
  return undefined;
}

function valid(width: number, height: number): ImageSize | undefined {
  return width > 0 && height > 0 ? { width, height } : undefined;
}
