import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFile } from 'openai';
import {
  fakeAudioSeconds,
  startFakeUpstream,
  type FakeUpstream,
} from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

describe('bills that are not counted in tokens', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream();
    await addChannel(gateway, { baseUrl: upstream.url, models: ['dall-e-3', 'whisper-1'] });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('prices images by count, size and quality', async () => {
    const { response } = await openai(gateway, key)
      .images.generate({
        model: 'dall-e-3',
        prompt: 'a lighthouse',
        n: 2,
        size: '1792x1024',
        quality: 'hd',
      })
      .withResponse();
    // $0.12 each for hd wide: 2 × 3 × 0.04 × 500000
    expect((await consumeLogOf(gateway, response.headers.get('x-request-id'))).quota).toBe(120_000);
  });

  it('bills a transcription by the minutes of audio the upstream reports', async () => {
    const audio = Buffer.alloc(16_000 * 150, 7); // 150 s at the fake's 128 kbit/s
    expect(fakeAudioSeconds(audio.length)).toBe(150);
    const { response } = await openai(gateway, key)
      .audio.transcriptions.create({ file: await toFile(audio, 'talk.mp3'), model: 'whisper-1' })
      .withResponse();
    // 3 started minutes × $0.006 × 500000
    expect((await consumeLogOf(gateway, response.headers.get('x-request-id'))).quota).toBe(9000);
  });
});
