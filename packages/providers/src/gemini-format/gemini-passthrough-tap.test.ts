import { describe, expect, it } from 'vitest';
import { fixture } from '../gemini/fixtures.js';
import { geminiClientRequest, geminiStream, upstreamBareErrorStream } from './fixtures.js';
import { GeminiPassthroughTap } from './gemini-passthrough-tap.js';

const request = geminiClientRequest({ contents: [{ parts: [{ text: 'hi' }] }] }, { stream: true });

/** What the client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], collectText = true) {
  const tap = new GeminiPassthroughTap({ stripUsageChunk: false, collectText, request });
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: Buffer.concat(out).toString(),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

const textStream = fixture('stream-text.sse').toString();
const errorStream = fixture('stream-error.sse').toString();

describe('GeminiPassthroughTap', () => {
  const streams = {
    textStream,
    callStream: fixture('stream-function-call.sse').toString(),
    safetyStream: fixture('stream-safety.sse').toString(),
    errorStream,
    upstreamBareErrorStream,
  };
  for (const [name, stream] of Object.entries(streams)) {
    it(`passes ${name} through the same however it is cut`, () => {
      const bytes = Buffer.from(stream);
      const whole = run([bytes]);
      expect(whole.text.startsWith(stream.slice(0, stream.lastIndexOf('data: ')))).toBe(true);
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
      const oneByOne = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(run(oneByOne)).toEqual(whole);
    });
  }

  it('passes a whole stream byte for byte, reading the usage that came with the finish', () => {
    expect(run([Buffer.from(textStream)])).toEqual({
      text: textStream,
      usage: { promptTokens: 10, completionTokens: 51 },
      completionText:
        'Once upon a time, a small robot named Bolt found a 🌻 sunflower growing through a crack in the factory floor.',
      failed: false,
    });
    expect(run([Buffer.from(textStream)], false).completionText).toBeUndefined();
    const call = run([fixture('stream-function-call.sse')]);
    expect(call.usage).toEqual({ promptTokens: 71, completionTokens: 62 });
    expect(call.completionText).toContain('{"location":"Boston, MA","unit":"celsius"}');
  });

  it("adds the bare copy of Google's error event, which @google/genai raises", () => {
    const result = run([Buffer.from(errorStream)]);
    expect(result.text.startsWith(errorStream)).toBe(true);
    const error = {
      error: {
        code: 503,
        message: 'The model is overloaded. Please try again later.',
        status: 'UNAVAILABLE',
      },
    };
    expect(geminiStream(result.text).bare).toEqual(error);
    expect(result).toMatchObject({ failed: true, usage: undefined });
  });

  it("sends Google's bare error as an event too, which the AI SDK raises", () => {
    const result = run([Buffer.from(upstreamBareErrorStream)]);
    const stream = geminiStream(result.text);
    const error = {
      error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' },
    };
    expect(stream.events.at(-1)).toEqual(error);
    expect(stream.bare).toEqual(error);
    expect(result).toMatchObject({ failed: true, completionText: 'Once upon a time' });
  });

  it('ends a stream cut before its finish with an error, and bills no partial usage', () => {
    const cut = textStream.slice(0, textStream.lastIndexOf('data: '));
    const result = run([Buffer.from(cut)]);
    expect(result.usage).toBeUndefined();
    expect(result.failed).toBe(true);
    expect(geminiStream(result.text).bare).toMatchObject({
      error: { code: 500, status: 'INTERNAL' },
    });
  });

  it('sends a last event that lacks its blank line with one, but not one cut inside', () => {
    const bytes = Buffer.from(textStream.slice(0, -4));
    expect(run([bytes]).text).toBe(textStream);
    const lastEvent = textStream.lastIndexOf('data: ');
    const cut = run([Buffer.from(textStream.slice(0, lastEvent + 40))]);
    expect(cut.text.startsWith(textStream.slice(0, lastEvent))).toBe(true);
    expect(geminiStream(cut.text).events).toHaveLength(3);
    expect(cut.failed).toBe(true);
  });

  it('ends with the error after a transport failure, never inside an event', () => {
    const tap = new GeminiPassthroughTap({ stripUsageChunk: false, collectText: false, request });
    const bytes = Buffer.from(textStream);
    const sent = tap.push(bytes.subarray(0, textStream.indexOf('upon') + 2));
    expect(sent.toString()).toBe(textStream.slice(0, textStream.indexOf('data: ', 10)));
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    const expected = {
      error: { code: 504, message: 'upstream timed out (timeout)', status: 'DEADLINE_EXCEEDED' },
    };
    expect(geminiStream(tap.endWithError(error).toString())).toEqual({
      events: [expected],
      bare: expected,
    });
  });
});
