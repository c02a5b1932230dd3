import { describe, expect, it } from 'vitest';
import type { StreamTap } from '../adapter.js';
import { clientRequest, fixture, withoutTime } from './fixtures.js';
import { geminiReader } from './gemini-reader.js';

function tap(stripUsageChunk = false): StreamTap {
  const request = clientRequest({ stream: true, clientWantsUsage: !stripUsageChunk });
  return geminiReader.streamTap({ stripUsageChunk, collectText: true, request });
}

/** What the client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], stripUsageChunk = false) {
  const stream = tap(stripUsageChunk);
  const out = chunks.map((chunk) => stream.push(chunk));
  out.push(stream.end());
  return {
    text: withoutTime(Buffer.concat(out).toString()),
    usage: stream.usage,
    completionText: stream.completionText,
    failed: stream.failed,
  };
}

const STREAMS = ['stream-text', 'stream-function-call', 'stream-safety', 'stream-error'];

describe('Gemini stream tap', () => {
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

  it('reports the last usage, the generated text, and the content type', () => {
    const stream = tap();
    stream.push(fixture('stream-function-call.sse'));
    stream.end();
    expect(stream.usage).toEqual({ promptTokens: 71, completionTokens: 62 });
    expect(stream.completionText).toBe(
      'I should look up the weather in Boston first.{"location":"Boston, MA","unit":"celsius"}',
    );
    expect(stream.contentType).toBe('text/event-stream');
    expect(stream.failed).toBe(false);
  });

  it('takes no usage from the partial counts before the finish, so a cut stream is counted', () => {
    const stream = tap();
    const bytes = fixture('stream-text.sse');
    const secondEnd = bytes.indexOf('\r\n\r\n', bytes.indexOf('\r\n\r\n') + 4) + 4;
    stream.push(bytes.subarray(0, secondEnd));
    expect(stream.usage).toBeUndefined();
    expect(stream.completionText).toBe(
      'Once upon a time, a small robot named Bolt found a 🌻 sunflower',
    );
    stream.push(bytes.subarray(secondEnd));
    expect(stream.usage).toEqual({ promptTokens: 10, completionTokens: 51 });
  });

  it('leaves the usage chunk out when the client did not ask for it', () => {
    const { text, usage } = run([fixture('stream-text.sse')], true);
    expect(usage).toEqual({ promptTokens: 10, completionTokens: 51 });
    expect(text).not.toContain('"usage"');
    expect(text).not.toContain('"choices":[]');
    expect(text.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n')).toBe(true);
  });

  it('turns an error event into the client error event and stops there', () => {
    const { text, failed } = run([fixture('stream-error.sse')]);
    expect(failed).toBe(true);
    expect(text).not.toContain('[DONE]');
    expect(
      text.endsWith(
        'data: {"error":{"message":"The model is overloaded. Please try again later.","type":"upstream_error","param":null,"code":null}}\n\n',
      ),
    ).toBe(true);
  });

  it('ends with one whole error event after a transport failure mid-event', () => {
    const stream = tap();
    const bytes = fixture('stream-text.sse');
    const head = stream.push(bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 20)).toString();
    const tail = stream
      .endWithError({ message: 'upstream connection lost', type: 'upstream_error', code: null })
      .toString();
    expect(head.endsWith('\n\n')).toBe(true);
    expect(tail).toBe(
      'data: {"error":{"message":"upstream connection lost","type":"upstream_error","param":null,"code":null}}\n\n',
    );
  });

  it('answers a refused prompt with an empty choice that finished with content_filter', () => {
    const event =
      'data: {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7},"responseId":"pb1"}\r\n\r\n';
    const { text, usage } = run([Buffer.from(event)]);
    expect(usage).toEqual({ promptTokens: 7, completionTokens: 0 });
    const chunks = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)));
    expect(
      chunks.map((c) => (c.choices.length === 0 ? 'usage' : c.choices[0].finish_reason)),
    ).toEqual([null, 'content_filter', 'usage']);
  });

  it('reads an unterminated last event and keeps one choice per candidate index', () => {
    const events =
      'data: {"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0},{"content":{"parts":[{"text":"b"}]},"index":1}],"responseId":"two"}\n\n' +
      'data: {"candidates":[{"content":{"parts":[{"text":"c"}]},"finishReason":"MAX_TOKENS","index":1}],"responseId":"two"}';
    const { text } = run([Buffer.from(events)]);
    const chunks = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)).choices[0]);
    expect(chunks).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'a' }, logprobs: null, finish_reason: null },
      { index: 1, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 1, delta: { content: 'b' }, logprobs: null, finish_reason: null },
      { index: 1, delta: { content: 'c' }, logprobs: null, finish_reason: null },
      { index: 1, delta: {}, logprobs: null, finish_reason: 'length' },
    ]);
  });

  it('passes over hostile events: not JSON, comments, wrong types, bad counts', () => {
    const events = [
      ': keep-alive',
      'data: not json',
      'data: [1,2]',
      'data: {"candidates":"x","usageMetadata":{"promptTokenCount":-5}}',
      'data: {"candidates":[null,{"content":{"parts":[{"text":7},{"functionCall":"x"}]}}]}',
      'data: {"candidates":[{"content":{"parts":[{"text":"ok"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1.5}}',
    ];
    const { text, usage, completionText, failed } = run([
      Buffer.from(events.join('\r\n\r\n') + '\r\n\r\n'),
    ]);
    expect(usage).toBeUndefined();
    expect(failed).toBe(false);
    expect(completionText).toBe('ok');
    expect(text).toContain('"delta":{"content":"ok"}');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
