import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventStreamFrames } from '../bedrock/event-stream-frames.js';
import { bedrockUrl } from '../bedrock/bedrock-url.js';
import { signBedrockRequest } from '../bedrock/sigv4.js';
import { configureFakeBedrock } from './fake-bedrock.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const account = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};
const valid = {
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 10,
  system: 'Be brief.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }],
};

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ reply: 'Hello there from Bedrock' });
  configureFakeBedrock(fake, account);
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

async function call(body: object, stream = false) {
  const url = bedrockUrl(fake.url, '', 'anthropic.claude-3-haiku-20240307-v1:0', stream);
  const bytes = Buffer.from(JSON.stringify(body));
  const signed = await signBedrockRequest(url, bytes, account.region, account, {
    'content-type': 'application/json',
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body: bytes });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function framesOf(bytes: Buffer) {
  return new EventStreamFrames()
    .push(bytes)
    .map((f) => (f.kind === 'chunk' ? (JSON.parse(f.payload) as { type: string }) : f));
}

describe('the fake Bedrock', () => {
  it('answers a whole Messages JSON and records the usage by the fake token rules', async () => {
    const { res, bytes } = await call(valid);
    expect(res.status).toBe(200);
    expect(JSON.parse(bytes.toString())).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Hello there from Bedrock' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 3 + 2 + 2, output_tokens: 4 },
    });
    expect(fake.requests[0]?.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 4,
      total_tokens: 11,
    });
  });

  it.each([
    ['a model in the body', { ...valid, model: 'claude' }, /model/],
    ['stream in the body', { ...valid, stream: true }, /stream/],
    [
      'another anthropic_version',
      { ...valid, anthropic_version: '2023-06-01' },
      /anthropic_version/,
    ],
    ['a fractional max_tokens', { ...valid, max_tokens: 1.5 }, /max_tokens/],
    ['no messages', { ...valid, messages: [] }, /messages/],
    ['a system role message', { ...valid, messages: [{ role: 'system', content: 'x' }] }, /role/],
  ])('refuses %s with a 400 ValidationException', async (_case, body, words) => {
    const { res, bytes } = await call(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ValidationException/);
    expect(JSON.parse(bytes.toString()).message).toMatch(words);
  });

  it('streams the Anthropic events as binary event-stream chunk messages', async () => {
    const { res, bytes } = await call({ ...valid, max_tokens: 2 }, true);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(framesOf(bytes).map((e) => ('type' in e ? e.type : e.kind))).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(fake.requests[0]?.streamEnd).toBe('finished');
  });

  it('calls the first offered tool with the fake arguments, whole and streamed', async () => {
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }];
    const whole = JSON.parse((await call({ ...valid, tools })).bytes.toString());
    expect(whole).toMatchObject({
      content: [{ type: 'tool_use', name: 'get_weather', input: { location: 'Paris, France' } }],
      stop_reason: 'tool_use',
      usage: { output_tokens: 3 },
    });
    const events = framesOf((await call({ ...valid, tools }, true)).bytes) as {
      type: string;
      delta?: { partial_json?: string; stop_reason?: string };
    }[];
    const json = events.map((e) => e.delta?.partial_json ?? '').join('');
    expect(json).toBe('{"location": "Paris, France"}');
    expect(events.find((e) => e.type === 'message_delta')?.delta?.stop_reason).toBe('tool_use');
  });

  it('ends a stream with an exception message after N events when told to', async () => {
    fake.failStreamAfter(2, { status: 500, message: 'The model stream broke.' });
    const { bytes } = await call(valid, true);
    const frames = framesOf(bytes);
    expect(frames).toHaveLength(3);
    expect(frames[2]).toEqual({
      kind: 'exception',
      type: 'modelStreamErrorException',
      message: 'The model stream broke.',
    });
  });

  it("answers a set failure in Bedrock's shape", async () => {
    fake.failNext({ status: 429, message: 'Too many requests, please wait before trying again.' });
    const { res, bytes } = await call(valid);
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException/);
    expect(JSON.parse(bytes.toString())).toEqual({
      message: 'Too many requests, please wait before trying again.',
    });
  });

  it('drops a stream after N messages when told to', async () => {
    fake.dropStreamAfter(3);
    const url = bedrockUrl(fake.url, '', 'anthropic.claude-3-haiku-20240307-v1:0', true);
    const bytes = Buffer.from(JSON.stringify(valid));
    const signed = await signBedrockRequest(url, bytes, account.region, account, {});
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body: bytes });
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(fake.requests[0]?.streamEnd).toBe('dropped');
  });

  it('writes a slow stream frame by frame, in slices when told to, the same frames in the end', async () => {
    const plain = framesOf((await call(valid, true)).bytes);
    fake.reset();
    fake.streamDelayMs(40);
    fake.streamFraming({ lineEnding: '\n', splitEvery: 5 });
    const url = bedrockUrl(fake.url, '', 'anthropic.claude-3-haiku-20240307-v1:0', true);
    const body = Buffer.from(JSON.stringify(valid));
    const signed = await signBedrockRequest(url, body, account.region, account, {});
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
    const reader = res.body!.getReader();
    const first = await reader.read();
    // The first bytes come while the fake is still pausing between frames.
    expect(first.value?.length).toBeGreaterThan(0);
    expect(fake.requests[0]?.streamEnd).toBeUndefined();
    const pieces = [Buffer.from(first.value!)];
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      pieces.push(Buffer.from(next.value));
    }
    const slow = framesOf(Buffer.concat(pieces));
    const withoutIds = (frames: unknown[]) =>
      JSON.stringify(frames).replace(/msg_bdrk_fake\d+/g, 'msg_bdrk_fake');
    expect(withoutIds(slow)).toBe(withoutIds(plain));
    expect(fake.requests[0]?.streamEnd).toBe('finished');
  });
});
