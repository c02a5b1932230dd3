import { isRecord, type JsonObject } from '../json-values.js';
import { absent, invalid, nativeOnly, quoted, requiredString } from './gemini-request-error.js';

/** A media type as it may stand in a data URL (no `;` or `,` to end it early). */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/** The audio OpenAI's `input_audio` parts take, by media type. */
const AUDIO_FORMATS = new Map([
  ['audio/wav', 'wav'],
  ['audio/x-wav', 'wav'],
  ['audio/wave', 'wav'],
  ['audio/mp3', 'mp3'],
  ['audio/mpeg', 'mp3'],
]);

/**
 * Inline bytes (`inlineData {mimeType, data}`, base64) as an OpenAI content part: images as
 * image_url data URLs, PDFs as file parts, WAV and MP3 as input_audio. Other media (video, text
 * files…) have no chat counterpart: only a Gemini upstream can read them (nativeOnly).
 */
export function inlinePart(inline: unknown, field: string): JsonObject {
  if (!isRecord(inline)) invalid(field, 'must be an object with mimeType and data');
  const mimeType = requiredString(inline.mimeType, `${field}.mimeType`).toLowerCase();
  if (!MEDIA_TYPE.test(mimeType)) invalid(`${field}.mimeType`, 'must be a media type');
  const data = requiredString(inline.data, `${field}.data`);
  const url = `data:${mimeType};base64,${data}`;
  if (mimeType.startsWith('image/')) return { type: 'image_url', image_url: { url } };
  if (mimeType === 'application/pdf') {
    return { type: 'file', file: { filename: 'document.pdf', file_data: url } };
  }
  const format = AUDIO_FORMATS.get(mimeType);
  if (format !== undefined) return { type: 'input_audio', input_audio: { data, format } };
  return nativeOnly(
    `${field}.mimeType`,
    `${quoted(mimeType)} can only be read on Gemini upstreams (images, PDF, WAV and MP3 can go to any)`,
  );
}

/**
 * A file by URI (`fileData {fileUri, mimeType?}`) as an image_url part: OpenAI takes images by
 * URL, nothing else. Files uploaded to Google (Files API, Cloud Storage) and other media by URL
 * (videos…) only a Gemini upstream can read.
 */
export function filePart(file: unknown, field: string): JsonObject {
  if (!isRecord(file)) invalid(field, 'must be an object with fileUri');
  const uri = requiredString(file.fileUri, `${field}.fileUri`);
  if (/^https?:\/\/generativelanguage\.googleapis\.com\//i.test(uri) || /^gs:\/\//i.test(uri)) {
    nativeOnly(`${field}.fileUri`, 'files kept by Google can only be read on Gemini upstreams');
  }
  if (!/^https?:\/\//i.test(uri)) invalid(`${field}.fileUri`, 'must be an http(s) URL');
  if (!absent(file.mimeType)) {
    const mimeType = requiredString(file.mimeType, `${field}.mimeType`).toLowerCase();
    if (!mimeType.startsWith('image/')) {
      nativeOnly(
        `${field}.mimeType`,
        `${quoted(mimeType)} by URL can only be read on Gemini upstreams`,
      );
    }
  }
  return { type: 'image_url', image_url: { url: uri } };
}
