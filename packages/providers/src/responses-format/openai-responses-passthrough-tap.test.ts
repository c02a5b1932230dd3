import { describe, expect, it } from 'vitest';
import {
  responsesClientRequest,
  responsesEvents,
  upstreamErrorStream,
  upstreamFailedStream,
  upstreamResponsesStream,
} from './fixtures.js';
import { OpenAIResponsesPassthroughTap } from './openai-responses-passthrough-tap.js';

const request = responsesClientRequest({ model: 'gpt-5-mini', input: 'hi', stream: true });

/** What the client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], collectText = true) {
  const tap = new OpenAIResponsesPassthroughTap({ stripUsageChunk: false, collectText, request });
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: Buffer.concat(out).toString(),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

describe('OpenAIResponsesPassthroughTap', () => {
  const streams = { upstreamResponsesStream, upstreamFailedStream, upstreamErrorStream };
  for (const [name, stream] of Object.entries(streams)) {
    it(`passes ${name} through byte for byte however it is cut`, () => {
      const bytes = Buffer.from(stream);
      const whole = run([bytes]);
      expect(whole.text).toBe(stream);
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
      const oneByOne = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(run(oneByOne)).toEqual(whole);
    });
  }

  it('names the stored response a follow-up may continue, unless the client stores none', () => {
    const tapFor = (body: Record<string, unknown>) => {
      const tap = new OpenAIResponsesPassthroughTap({
        stripUsageChunk: false,
        collectText: false,
        request: responsesClientRequest(body),
      });
      tap.push(Buffer.from(upstreamResponsesStream));
      return tap.continuationId;
    };
    const id = responsesEvents(upstreamResponsesStream)[0]?.response as { id: string };
    expect(id.id).toMatch(/^resp_/);
    expect(tapFor({ model: 'gpt-5-mini', input: 'hi', stream: true })).toBe(id.id);
    expect(tapFor({ model: 'gpt-5-mini', input: 'hi', stream: true, store: false })).toBe(
      undefined,
    );
  });

  it("reads response.completed's usage and the generated text", () => {
    expect(run([Buffer.from(upstreamResponsesStream)])).toEqual({
      text: upstreamResponsesStream,
      usage: { promptTokens: 1290, completionTokens: 86, cachedTokens: 1152 },
      completionText: 'Greeting in French.Bonjour, wörld 👋',
      failed: false,
    });
    expect(run([Buffer.from(upstreamResponsesStream)], false).completionText).toBeUndefined();
  });

  it('marks response.failed and error events as failed, keeping any usage reported', () => {
    expect(run([Buffer.from(upstreamFailedStream)])).toMatchObject({
      failed: true,
      usage: { promptTokens: 1290, completionTokens: 12 },
    });
    expect(run([Buffer.from(upstreamErrorStream)])).toMatchObject({
      failed: true,
      usage: undefined,
    });
  });

  it('holds back only an unfinished event', () => {
    const tap = new OpenAIResponsesPassthroughTap({
      stripUsageChunk: false,
      collectText: false,
      request,
    });
    const cut = upstreamResponsesStream.indexOf('event: response.in_progress') + 10;
    expect(tap.push(Buffer.from(upstreamResponsesStream.slice(0, cut))).toString()).toBe(
      upstreamResponsesStream.slice(
        0,
        upstreamResponsesStream.indexOf('event: response.in_progress'),
      ),
    );
  });

  it('ends a stream that closed before its last event with the failure events, numbered on', () => {
    const cut = upstreamResponsesStream.indexOf('event: response.output_item.added');
    const result = run([Buffer.from(upstreamResponsesStream.slice(0, cut))]);
    const events = responsesEvents(result.text);
    expect(events.map((e) => [e.type, e.sequence_number])).toEqual([
      ['response.created', 0],
      ['response.in_progress', 1],
      ['error', 2],
      ['response.failed', 3],
    ]);
    expect(events[3]?.response).toMatchObject({
      id: 'resp_68af1a2b3c4d8190',
      status: 'failed',
      error: { code: 'stream_interrupted' },
    });
    expect(result.failed).toBe(true);
  });

  it('closes a last event that lacks its blank line, and counts it', () => {
    const result = run([Buffer.from(upstreamResponsesStream.slice(0, -2))]);
    expect(result.text).toBe(upstreamResponsesStream);
    expect(result.failed).toBe(false);
    expect(result.usage).toMatchObject({ promptTokens: 1290 });
  });

  it('ends with the failure events after a transport failure, naming what it can', () => {
    const tap = new OpenAIResponsesPassthroughTap({
      stripUsageChunk: false,
      collectText: false,
      request,
    });
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    const early = responsesEvents(tap.endWithError(error).toString());
    expect(early.map((e) => e.type)).toEqual(['error', 'response.failed']);
    expect(early[1]?.response).toMatchObject({
      id: expect.stringMatching(/^resp_/),
      model: 'gpt-5-mini',
      status: 'failed',
      error: { code: 'timeout', message: 'upstream timed out' },
    });
    expect(early[0]).toMatchObject({ error: { message: 'upstream timed out' } });
  });
});
