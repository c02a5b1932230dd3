import { describe, expect, it } from 'vitest';
import type { StreamTap } from '../adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { clientRequest, fixture } from '../anthropic/fixtures.js';
import type { JsonObject } from '../json-values.js';
import { OpenAIStreamTap } from '../openai-sse/openai-stream-tap.js';
import {
  errorStream,
  geminiStream,
  parallelToolStream,
  reasoningStream,
  textStream,
  toolStream,
  type GeminiStream,
} from './fixtures.js';
import { GeminiClientStreamTap } from './gemini-client-stream-tap.js';

const MODEL = 'gemini-2.5-flash';

/** The OpenAI tap as the OpenAI adapter builds it for a Gemini client (usage always read). */
function openAITap(): StreamTap {
  return new OpenAIStreamTap({ stripUsageChunk: false, collectText: true });
}

/** What the Gemini client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], inner: StreamTap = openAITap()) {
  const tap = new GeminiClientStreamTap(inner, MODEL);
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: Buffer.concat(out).toString(),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

function streamOf(text: string): GeminiStream {
  return geminiStream(run([Buffer.from(text)]).text);
}

/** The parts of every event's candidate, in order, as a client collects them. */
function parts(stream: GeminiStream): JsonObject[] {
  return stream.events.flatMap((event) => {
    const candidate = (event.candidates as JsonObject[] | undefined)?.[0];
    return (
      ((candidate?.content as JsonObject | undefined)?.parts as JsonObject[] | undefined) ?? []
    );
  });
}

function last(stream: GeminiStream): JsonObject | undefined {
  return stream.events.at(-1);
}

describe('GeminiClientStreamTap', () => {
  const streams = { textStream, toolStream, parallelToolStream, reasoningStream, errorStream };
  for (const [name, stream] of Object.entries(streams)) {
    it(`writes ${name} the same however the bytes are cut`, () => {
      const bytes = Buffer.from(stream);
      const whole = run([bytes]);
      expect(whole.text).not.toBe('');
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
      const oneByOne = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(run(oneByOne)).toEqual(whole);
    });
  }

  it('streams text as an event per chunk, then the finish reason and usage', () => {
    const result = run([Buffer.from(textStream)]);
    const stream = geminiStream(result.text);
    expect(stream.events).toHaveLength(4);
    expect(parts(stream)).toEqual([{ text: 'Bonjour' }, { text: ', wörld 👋' }, { text: ' !' }]);
    expect(stream.events[0]).toMatchObject({
      modelVersion: MODEL,
      responseId: 'C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
    });
    expect(last(stream)).toEqual({
      candidates: [{ finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 2006,
        candidatesTokenCount: 5,
        totalTokenCount: 2011,
        cachedContentTokenCount: 1920,
      },
      modelVersion: MODEL,
      responseId: 'C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
    });
    expect(stream.bare).toBeUndefined();
    // Billing still reads the OpenAI tap.
    expect(result.usage).toEqual({ promptTokens: 2006, completionTokens: 5, cachedTokens: 1920 });
    expect(result.completionText).toBe('Bonjour, wörld 👋 !');
  });

  it('streams text, then the call whole with its arguments gathered, at the finish', () => {
    const stream = streamOf(toolStream);
    expect(parts(stream)).toEqual([
      { text: 'Let me check.' },
      {
        functionCall: {
          id: 'call_Qz8BvWmLk3TgR2xNpYc7Hs1D',
          name: 'get_weather',
          args: { location: '東京' },
        },
        thoughtSignature: 'skip_thought_signature_validator',
      },
    ]);
    expect(last(stream)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: {
        promptTokenCount: 1180,
        candidatesTokenCount: 15,
        cachedContentTokenCount: 1024,
      },
    });
  });

  it('streams parallel calls as two functionCall parts of the last event', () => {
    const stream = streamOf(parallelToolStream);
    expect(stream.events).toHaveLength(1);
    expect(parts(stream).map((part) => part.functionCall)).toEqual([
      { id: 'call_Pa1sX8vR3mK9tL2q', name: 'get_weather', args: { location: 'Paris' } },
      { id: 'call_Ly2oN7wQ4jH8sD5e', name: 'get_time', args: { timezone: 'Europe/Paris' } },
    ]);
  });

  it('streams reasoning as thought parts before the text, its tokens counted apart', () => {
    const stream = streamOf(reasoningStream);
    expect(parts(stream)).toEqual([
      { text: '1071 = 2 × 462 + 147', thought: true },
      { text: '; 462 = 3 × 147 + 21', thought: true },
      { text: 'The GCD' },
      { text: ' is 21.' },
    ]);
    // The usage came on the finish chunk, as DeepSeek sends it.
    expect(last(stream)?.usageMetadata).toEqual({
      promptTokenCount: 20,
      candidatesTokenCount: 15,
      totalTokenCount: 80,
      thoughtsTokenCount: 45,
    });
  });

  it("ends with Google's error, as an event and bare, when OpenAI's stream reports one", () => {
    const stream = streamOf(errorStream);
    const error = {
      error: {
        code: 500,
        message: 'The server had an error while processing your request. Sorry about that!',
        status: 'INTERNAL',
      },
    };
    expect(parts(stream)).toEqual([{ text: 'Bonjour' }]);
    expect(last(stream)).toEqual(error);
    expect(stream.bare).toEqual(error);
  });

  it('sends the error event at once and its bare copy when the stream ends', () => {
    const tap = new GeminiClientStreamTap(openAITap(), MODEL);
    const sent = tap.push(Buffer.from(errorStream)).toString();
    expect(geminiStream(sent).bare).toBeUndefined();
    expect(JSON.parse(tap.end().toString())).toMatchObject({ error: { code: 500 } });
  });

  it('ends with the error after a transport failure mid-answer', () => {
    const tap = new GeminiClientStreamTap(openAITap(), MODEL);
    const bytes = Buffer.from(textStream);
    const sent = tap.push(bytes.subarray(0, textStream.indexOf(', wörld') + 3));
    expect(parts(geminiStream(sent.toString()))).toEqual([{ text: 'Bonjour' }]);
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    const expected = {
      error: { code: 504, message: 'upstream timed out (timeout)', status: 'DEADLINE_EXCEEDED' },
    };
    expect(geminiStream(tap.endWithError(error).toString())).toEqual({
      events: [expected],
      bare: expected,
    });
  });

  it('ends the answer when the stream closes without [DONE] or a finish', () => {
    const noDone = Buffer.from(textStream.replace('data: [DONE]\n\n', ''));
    expect(run([noDone]).text).toBe(run([Buffer.from(textStream)]).text);

    const finishChunk = textStream.lastIndexOf(
      'data: ',
      textStream.indexOf('"finish_reason":"stop"'),
    );
    const stream = geminiStream(run([Buffer.from(textStream.slice(0, finishChunk))]).text);
    expect(last(stream)).toEqual({
      candidates: [{ finishReason: 'STOP', index: 0 }],
      modelVersion: MODEL,
      responseId: 'C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
    });
  });

  it('reads a last event that lacks its blank line', () => {
    const bytes = Buffer.from(textStream.slice(0, -2));
    expect(run([bytes]).text).toBe(run([Buffer.from(textStream)]).text);
  });

  it('answers an empty upstream stream with a finished empty answer', () => {
    expect(geminiStream(run([]).text).events).toEqual([
      {
        candidates: [{ finishReason: 'STOP', index: 0 }],
        modelVersion: MODEL,
        responseId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      },
    ]);
  });

  it('sends nothing for keep-alive comments', () => {
    const tap = new GeminiClientStreamTap(openAITap(), MODEL);
    expect(tap.contentType).toBe('text/event-stream');
    expect(tap.push(Buffer.from(': keep-alive\n\n')).length).toBe(0);
  });

  it("wraps a converting tap: Anthropic's stream and its mid-stream error", () => {
    const anthropicTap = () =>
      anthropicReader.streamTap({
        stripUsageChunk: false,
        collectText: true,
        request: clientRequest({ stream: true, clientWantsUsage: true }),
      });
    const text = run([fixture('text-stream.sse')], anthropicTap());
    const stream = geminiStream(text.text);
    expect(
      parts(stream)
        .map((part) => part.text)
        .join(''),
    ).toBe('Hello, wörld 👋!');
    expect(last(stream)).toMatchObject({ candidates: [{ finishReason: 'STOP' }] });
    expect(text.failed).toBe(false);

    const failed = run([fixture('error-stream.sse')], anthropicTap());
    expect(geminiStream(failed.text).bare).toEqual({
      error: { code: 503, message: 'Overloaded (overloaded)', status: 'UNAVAILABLE' },
    });
    expect(failed.failed).toBe(true);
  });
});
