import { isRecord, stringOf, type JsonObject } from '../json-values.js';

/** The text of a message's content: a string, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isRecord)
    .map((part) => stringOf(part.text) ?? stringOf(part.refusal) ?? '')
    .join('');
}

/**
 * A user message's content as Gemini parts: text, images, audio and files. Parts of a kind
 * Gemini cannot take are left out rather than failing the whole request.
 */
export function userParts(content: unknown): JsonObject[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  if (!Array.isArray(content)) return [];
  const parts: JsonObject[] = [];
  for (const part of content) {
    if (!isRecord(part)) continue;
    const converted = userPart(part);
    if (converted) parts.push(converted);
  }
  return parts;
}

function userPart(part: JsonObject): JsonObject | undefined {
  switch (part.type) {
    case 'text': {
      const text = stringOf(part.text);
      return text ? { text } : undefined;
    }
    case 'image_url': {
      const image = part.image_url;
      const url = isRecord(image) ? stringOf(image.url) : stringOf(image);
      return url === undefined ? undefined : mediaPart(url, 'image/jpeg');
    }
    case 'input_audio': {
      const audio = isRecord(part.input_audio) ? part.input_audio : {};
      const data = stringOf(audio.data);
      const format = stringOf(audio.format) ?? 'wav';
      return data ? { inlineData: { mimeType: `audio/${format}`, data } } : undefined;
    }
    case 'file': {
      const file = isRecord(part.file) ? part.file : {};
      const data = stringOf(file.file_data);
      return data ? mediaPart(data, 'application/pdf') : undefined;
    }
    default:
      return undefined;
  }
}

const DATA_URL = /^data:([^;,]+)?((?:;[^;,]*)*?);base64,(.*)$/s;

/**
 * A `data:` URL becomes inline bytes; an http(s) URL is handed to Gemini, which fetches public
 * URLs itself (the gateway never fetches a client's URL).
 */
function mediaPart(url: string, fallbackType: string): JsonObject | undefined {
  const data = DATA_URL.exec(url);
  if (data) {
    return { inlineData: { mimeType: data[1] || fallbackType, data: data[3] ?? '' } };
  }
  if (/^https?:\/\//i.test(url)) {
    return { fileData: { mimeType: mimeTypeOf(url) ?? fallbackType, fileUri: url } };
  }
  return undefined;
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

/** The media type a URL's file extension names, if it is one Gemini reads. */
function mimeTypeOf(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? EXTENSION_TYPES[extension] : undefined;
}
