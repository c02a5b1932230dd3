import { describe, expect, it } from 'vitest';
import { SseEventSplitter } from './event-splitter.js';

// Recorded from gpt-4o-mini, with the keep-alive comment and the multi-line event some
// compatible servers send; Chinese and emoji so that splits fall inside UTF-8 characters.
const EVENTS = [
  ': keep-alive\n\n',
  'data: {"id":"chatcmpl-AlRwE8zNJkTxhGi9miACDRLyaOPXi","object":"chat.completion.chunk","created":1735872174,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_d02d531b47","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}\n\n',
  'data: {"id":"chatcmpl-AlRwE8zNJkTxhGi9miACDRLyaOPXi","object":"chat.completion.chunk","created":1735872174,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_d02d531b47","choices":[{"index":0,"delta":{"content":"你好"},"logprobs":null,"finish_reason":null}]}\n\n',
  'data: {"id":"chatcmpl-AlRwE8zNJkTxhGi9miACDRLyaOPXi","object":"chat.completion.chunk","created":1735872174,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_d02d531b47","choices":[{"index":0,"delta":{"content":"！👋🏽"},"logprobs":null,"finish_reason":null}]}\n\n',
  'event: message\nid: 7\ndata: {"a":\ndata: 1}\n\n',
  'data: [DONE]\n\n',
];

type LineEnding = '\n' | '\r\n' | '\r';
const framed = (events: string[], eol: LineEnding) => events.map((e) => e.replace(/\n/g, eol));

/** Everything the splitter returns for these chunks, as text, plus what flush() gives. */
function split(chunks: Buffer[]): { events: string[]; tail: string | undefined } {
  const splitter = new SseEventSplitter();
  const events = chunks.flatMap((chunk) => splitter.push(chunk)).map((e) => e.toString('utf8'));
  return { events, tail: splitter.flush()?.toString('utf8') };
}

describe('SseEventSplitter', () => {
  describe.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ] as const)('with %s line endings', (_, eol) => {
    const events = framed(EVENTS, eol);
    const bytes = Buffer.from(events.join(''));

    it('returns each event whole, wherever one cut splits the stream', () => {
      for (let at = 0; at <= bytes.length; at += 1) {
        const result = split([bytes.subarray(0, at), bytes.subarray(at)]);
        expect(result, `cut at byte ${at}`).toEqual({ events, tail: undefined });
      }
    });

    it('returns each event whole when the stream arrives one byte at a time', () => {
      const bytewise = Array.from(bytes, (byte) => Buffer.from([byte]));
      expect(split(bytewise)).toEqual({ events, tail: undefined });
    });

    it('returns an unterminated last event from flush(), exactly', () => {
      const tail = `data: {"id":"chatcmpl-x","choices":[]}${eol}`;
      for (let at = 0; at <= tail.length; at += 1) {
        const result = split([bytes, Buffer.from(tail.slice(0, at)), Buffer.from(tail.slice(at))]);
        expect(result).toEqual({ events, tail });
      }
    });
  });

  it('waits for the \\n of a \\r\\n blank line cut between \\r and \\n', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push(Buffer.from('data: 1\r\n\r'))).toEqual([]);
    expect(splitter.push(Buffer.from('\ndata: 2\r\n\r\n')).map(String)).toEqual([
      'data: 1\r\n\r\n',
      'data: 2\r\n\r\n',
    ]);
  });

  it('hands out a \\r-framed event at once, without waiting for a \\n that will not come', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push(Buffer.from('data: 1\r\r')).map(String)).toEqual(['data: 1\r\r']);
    expect(splitter.push(Buffer.from('data: 2\r')).map(String)).toEqual([]);
    expect(splitter.push(Buffer.from('\r')).map(String)).toEqual(['data: 2\r\r']);
  });

  it('returns a \\r\\n event still waiting for its last \\n from flush()', () => {
    const splitter = new SseEventSplitter();
    splitter.push(Buffer.from('data: 1\r\n\r'));
    expect(splitter.flush()?.toString()).toBe('data: 1\r\n\r');
    expect(splitter.flush()).toBeUndefined();
  });

  it('returns events inside one chunk as views of it, not copies', () => {
    const chunk = Buffer.from(EVENTS.join(''));
    const events = new SseEventSplitter().push(chunk);
    expect(events).toHaveLength(EVENTS.length);
    for (const event of events) expect(event.buffer).toBe(chunk.buffer);
  });
});
