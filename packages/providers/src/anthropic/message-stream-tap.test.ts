import { describe, expect, it } from 'vitest';
import { anthropicReader } from './anthropic-reader.js';
import { clientRequest, fixture, withoutTime } from './fixtures.js';

/** What the client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], stripUsageChunk = false) {
  const request = clientRequest({ stream: true, clientWantsUsage: !stripUsageChunk });
  const tap = anthropicReader.streamTap({ stripUsageChunk, collectText: true, request });
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: withoutTime(Buffer.concat(out).toString()),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

const STREAMS = ['text-stream', 'tool-stream', 'thinking-stream', 'error-stream'];

describe('Anthropic stream tap', () => {
  for (const name of STREAMS) {
    it(`converts ${name}.sse to OpenAI's chunks, however the bytes are cut`, () => {
      const bytes = fixture(`${name}.sse`);
      const whole = run([bytes]);
      expect(whole.text).toBe(fixture(`${name}.openai.sse`).toString());
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
      const oneByOne = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(run(oneByOne)).toEqual(whole);
    });
  }

  it('reads \\r\\n framing as \\n framing', () => {
    const bytes = fixture('tool-stream.sse');
    const crlf = Buffer.from(bytes.toString().replace(/\n/g, '\r\n'));
    expect(run([crlf])).toEqual(run([bytes]));
  });

  it('reports usage with the cached prompt parts, the generated text and its content type', () => {
    const result = run([fixture('text-stream.sse')]);
    expect(result.usage).toEqual({ promptTokens: 35, completionTokens: 15, cacheWriteTokens: 10 });
    expect(result.completionText).toBe('Hello, wörld 👋!');
    expect(result.failed).toBe(false);
    const tool = run([fixture('tool-stream.sse')]);
    expect(tool.completionText).toContain('{"location": "San Francisco, CA"');
    const request = clientRequest({ stream: true });
    const tap = anthropicReader.streamTap({ stripUsageChunk: true, collectText: false, request });
    expect(tap.contentType).toBe('text/event-stream');
    expect(tap.completionText).toBeUndefined();
  });

  it('leaves out the usage chunk and the usage nulls when the client did not ask for usage', () => {
    const stripped = run([fixture('text-stream.sse')], true);
    expect(stripped.text).not.toContain('"choices":[]');
    expect(stripped.text).not.toContain('"usage"');
    expect(stripped.text.endsWith('data: [DONE]\n\n')).toBe(true);
    // The relay still bills from the usage the tap read.
    expect(stripped.usage).toEqual({
      promptTokens: 35,
      completionTokens: 15,
      cacheWriteTokens: 10,
    });
  });

  it('ends with the error event and no [DONE] when Anthropic reports an error mid-stream', () => {
    const result = run([fixture('error-stream.sse')]);
    expect(result.failed).toBe(true);
    expect(result.text.endsWith('"code":"overloaded"}}\n\n')).toBe(true);
    expect(result.text).not.toContain('[DONE]');
  });

  it('tells the client when a stream closes before Anthropic ended the answer', () => {
    const bytes = fixture('text-stream.sse').toString();
    const cut = Buffer.from(bytes.slice(0, bytes.indexOf('event: content_block_stop')));
    const result = run([cut]);
    expect(result.failed).toBe(true);
    expect(result.text).not.toContain('[DONE]');
    expect(result.text.endsWith('"code":"stream_interrupted"}}\n\n')).toBe(true);
  });

  it('finishes with [DONE] when only message_stop was lost', () => {
    const bytes = fixture('text-stream.sse').toString();
    const cut = Buffer.from(bytes.slice(0, bytes.indexOf('event: message_stop')));
    const result = run([cut]);
    expect(result.failed).toBe(false);
    expect(result.text).toBe(fixture('text-stream.openai.sse').toString());
  });

  it('skips events whose data is not JSON, comments and unknown events', () => {
    const bytes = fixture('text-stream.sse').toString();
    const noisy = bytes
      .replace('event: ping', ': keep-alive\n\nevent: ping')
      .replace(
        'event: content_block_stop',
        'event: mystery\ndata: {not json\n\nevent: future\ndata: {"type":"future_event"}\n\nevent: content_block_stop',
      );
    expect(run([Buffer.from(noisy)])).toEqual(run([Buffer.from(bytes)]));
  });

  it('reads a last event that lacks its blank line', () => {
    const bytes = fixture('text-stream.sse');
    const result = run([bytes.subarray(0, bytes.length - 1)]);
    expect(result.text).toBe(fixture('text-stream.openai.sse').toString());
  });

  it('closes with a whole error event after a transport failure, never glued to a chunk', () => {
    const request = clientRequest({ stream: true, clientWantsUsage: true });
    const tap = anthropicReader.streamTap({ stripUsageChunk: false, collectText: false, request });
    const bytes = fixture('text-stream.sse');
    const sent = tap.push(bytes.subarray(0, bytes.indexOf('event: content_block_stop') + 10));
    expect(sent.toString().endsWith('\n\n')).toBe(true);
    const error = { message: 'interrupted', type: 'upstream_error', code: 'stream_interrupted' };
    expect(tap.endWithError(error).toString()).toBe(
      'data: {"error":{"message":"interrupted","type":"upstream_error","param":null,"code":"stream_interrupted"}}\n\n',
    );
  });
});
