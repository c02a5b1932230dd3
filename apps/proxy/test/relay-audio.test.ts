import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import { fakeSpeech, startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const TRANSCRIPT = 'The quick brown fox jumped over the lazy dog.';
/** 40 000 bytes of "audio" that are not all alike, so a changed byte changes the hash. */
const AUDIO = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31 + (i >> 8)) % 256));
const AUDIO_SHA256 = createHash('sha256').update(AUDIO).digest('hex');
/** whisper-1: $0.006 a call × 500000 quota per USD. */
const WHISPER_CALL = 3000;

describe('audio through the gateway (official openai SDK)', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ transcript: TRANSCRIPT });
    await addChannel(gateway, { baseUrl: upstream.url, models: ['tts-1', 'whisper-1'] });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  it('speaks: the audio bytes arrive intact, billed per input character', async () => {
    const input = 'The gateway relays this sentence as speech.';
    const speech = await openai(gateway, key).audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input,
    });
    expect(speech.status).toBe(200);
    expect(speech.headers.get('content-type')).toBe('audio/mpeg');
    const audio = Buffer.from(await speech.arrayBuffer());
    expect(audio.length).toBe(64 * 1024);
    expect(audio.equals(fakeSpeech(input))).toBe(true);

    // tts-1: ratio 7.5 per character → ceil(43 × 7.5) = ceil(322.5) = 323
    expect(input).toHaveLength(43);
    expect(await consumeLogOf(gateway, speech.headers.get('x-request-id'))).toMatchObject({
      model: 'tts-1',
      quota: 323,
      isStream: false,
    });
  });

  it('keeps the content type of another audio format', async () => {
    const speech = await openai(gateway, key).audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input: 'opus please',
      response_format: 'opus',
    });
    expect(speech.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await speech.arrayBuffer()).equals(fakeSpeech('opus please'))).toBe(true);
    // 11 characters × 7.5 = 82.5 → 83
    expect(await consumeLogOf(gateway, speech.headers.get('x-request-id'))).toMatchObject({
      quota: 83,
    });
  });

  it('transcribes: the upload reaches the upstream intact, billed as one whisper call', async () => {
    const { data, response } = await openai(gateway, key)
      .audio.transcriptions.create({ file: await toFile(AUDIO, 'a.mp3'), model: 'whisper-1' })
      .withResponse();
    expect(data.text).toBe(TRANSCRIPT);

    const seen = upstream.requests[0];
    expect(seen?.url).toBe('/v1/audio/transcriptions');
    expect(seen?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen?.form).toMatchObject({
      fields: { model: 'whisper-1' },
      files: [{ field: 'file', filename: 'a.mp3', size: AUDIO.length, sha256: AUDIO_SHA256 }],
    });

    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'whisper-1',
      quota: WHISPER_CALL,
    });
  });

  it('transcribes to plain text when asked', async () => {
    const { data, response } = await openai(gateway, key)
      .audio.transcriptions.create({
        file: await toFile(AUDIO, 'a.mp3'),
        model: 'whisper-1',
        response_format: 'text',
      })
      .withResponse();
    expect(data).toBe(`${TRANSCRIPT}\n`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(upstream.requests[0]?.form?.fields).toMatchObject({ response_format: 'text' });
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      quota: WHISPER_CALL,
    });
  });

  it('translates: the upload reaches the upstream intact, billed as one whisper call', async () => {
    const { data, response } = await openai(gateway, key)
      .audio.translations.create({ file: await toFile(AUDIO, 'b.mp3'), model: 'whisper-1' })
      .withResponse();
    expect(data.text).toBe(TRANSCRIPT);

    const seen = upstream.requests[0];
    expect(seen?.url).toBe('/v1/audio/translations');
    expect(seen?.form).toMatchObject({
      fields: { model: 'whisper-1' },
      files: [{ field: 'file', filename: 'b.mp3', size: AUDIO.length, sha256: AUDIO_SHA256 }],
    });

    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'whisper-1',
      quota: WHISPER_CALL,
    });
  });

  it('refuses an upload without a model field with 400, before the upstream', async () => {
    const form = new FormData();
    form.append('file', new Blob([AUDIO]), 'a.mp3');
    const response = await fetch(`${gateway.base}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'missing_model' } });
    expect(upstream.requests).toEqual([]);
  });
});

describe('an upload to a channel that maps the model', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ transcript: TRANSCRIPT });
    // Groq, for one, serves whisper as `whisper-large-v3`.
    await addChannel(gateway, {
      baseUrl: upstream.url,
      models: ['whisper-1'],
      modelMapping: { 'whisper-1': 'whisper-large-v3' },
    });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('sends the mapped model in the form, with the file intact, billing the requested one', async () => {
    const { data, response } = await openai(gateway, key)
      .audio.transcriptions.create({ file: await toFile(AUDIO, 'a.mp3'), model: 'whisper-1' })
      .withResponse();
    expect(data.text).toBe(TRANSCRIPT);
    expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
      model: 'whisper-1',
      quota: WHISPER_CALL,
    });
    expect(upstream.requests[0]?.form).toMatchObject({
      fields: { model: 'whisper-large-v3' },
      files: [{ field: 'file', filename: 'a.mp3', size: AUDIO.length, sha256: AUDIO_SHA256 }],
    });
  });
});
