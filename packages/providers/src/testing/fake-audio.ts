import { createHash } from 'node:crypto';
import { fakeAudioSeconds } from './fake-tokens.js';
import type { RecordedForm } from './multipart.js';

const SPEECH_BYTES = 64 * 1024;

const SPEECH_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** The 64 KiB of "audio" the fake speaks for `input`: derived from it, so tests can compare. */
export function fakeSpeech(input: string): Buffer {
  const audio = Buffer.alloc(SPEECH_BYTES);
  for (let block = 0; block * 32 < SPEECH_BYTES; block += 1) {
    createHash('sha256')
      .update(`${block}:${input}`)
      .digest()
      .copy(audio, block * 32);
  }
  return audio;
}

/** The content type of speech in this `response_format` (mp3 by default). */
export function speechContentType(format: unknown): string {
  return (typeof format === 'string' ? SPEECH_TYPES[format] : undefined) ?? 'audio/mpeg';
}

export interface AudioAnswer {
  contentType: string;
  body: string;
  /** Whisper's duration usage, when the answer carries it. */
  usage?: { type: 'duration'; seconds: number };
}

/**
 * A transcription or translation of the uploaded file in the requested `response_format`,
 * with whisper's duration usage on the JSON forms; undefined when no file came.
 */
export function transcribe(
  task: 'transcribe' | 'translate',
  form: RecordedForm,
  options: { text: string; withUsage: boolean },
): AudioAnswer | undefined {
  const file = form.files.find((f) => f.field === 'file');
  if (!file) return undefined;
  const { text, withUsage } = options;
  const seconds = fakeAudioSeconds(file.size);
  const usage = withUsage ? { usage: { type: 'duration' as const, seconds } } : {};
  const json = (body: object) => ({
    contentType: 'application/json',
    body: JSON.stringify({ ...body, ...usage }),
    ...usage,
  });
  const plain = (body: string) => ({ contentType: 'text/plain; charset=utf-8', body });
  switch (form.fields.response_format) {
    case 'text':
      return plain(`${text}\n`);
    case 'srt':
      return plain(`1\n00:00:00,000 --> ${timestamp(seconds, ',')}\n${text}\n\n`);
    case 'vtt':
      return plain(`WEBVTT\n\n00:00:00.000 --> ${timestamp(seconds, '.')}\n${text}\n\n`);
    case 'verbose_json': {
      const segment = { id: 0, seek: 0, start: 0, end: seconds, text, tokens: [], temperature: 0 };
      return json({ task, language: 'english', duration: seconds, text, segments: [segment] });
    }
    default:
      return json({ text });
  }
}

function timestamp(seconds: number, separator: string): string {
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}${separator}000`;
}
