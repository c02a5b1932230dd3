import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamUsage } from './openai-usage.js';
import { OpenAIStreamTap } from './openai-stream-tap.js';
import { sseEventData } from './event-data.js';
import { SseEventSplitter } from './event-splitter.js';

interface RecordedStream {
  events: string[];
  /** Index of the usage-only event (`"choices":[]` with usage), which stripping removes. */
  usageEvent?: number;
  usage: UpstreamUsage | undefined;
  text: string;
}

// gpt-4o-mini with stream_options.include_usage: every chunk says "usage":null, then one
// usage-only chunk with "choices":[] before [DONE].
const chatWithUsage: RecordedStream = {
  events: [
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{"content":"你好"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{"content":"！👋🏽"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{"content":" Say \\"[DONE]\\"\\nwhen"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{"content":" done."},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEGv1YcZQjG8ni6e2sFJY4dUaGVa8","object":"chat.completion.chunk","created":1742800339,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_b8bc95a0ac","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":9,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n',
    'data: [DONE]\n\n',
  ],
  usageEvent: 6,
  usage: { promptTokens: 21, completionTokens: 9, cachedTokens: 0 },
  text: '你好！👋🏽 Say "[DONE]"\nwhen done.',
};

// gpt-4o calling a tool, with a cached prompt.
const toolCalls: RecordedStream = {
  events: [
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Qz8BvWmLk3TgR2xNpYc7Hs1D","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"location"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\":\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"東京"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n',
    'data: {"id":"chatcmpl-BEHK2wTnSbDaJwxqf1yQWf5s3NO7L","object":"chat.completion.chunk","created":1742801890,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_90d33c15d4","choices":[],"usage":{"prompt_tokens":1180,"completion_tokens":15,"total_tokens":1195,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n',
    'data: [DONE]\n\n',
  ],
  usageEvent: 7,
  usage: { promptTokens: 1180, completionTokens: 15, cachedTokens: 1024 },
  text: '{"location":"東京"}',
};

// DeepSeek puts usage on the finish chunk instead of a chunk of its own.
const usageOnLastContentChunk: RecordedStream = {
  events: [
    'data: {"id":"5f2d0e1c-8a7b-4c3e-9d1f-2b6a4e8c0f13","object":"chat.completion.chunk","created":1742802511,"model":"deepseek-chat","system_fingerprint":"fp_3a5770e1b4_prod0225","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n',
    'data: {"id":"5f2d0e1c-8a7b-4c3e-9d1f-2b6a4e8c0f13","object":"chat.completion.chunk","created":1742802511,"model":"deepseek-chat","system_fingerprint":"fp_3a5770e1b4_prod0225","choices":[{"index":0,"delta":{"content":"你好，"},"logprobs":null,"finish_reason":null}]}\n\n',
    'data: {"id":"5f2d0e1c-8a7b-4c3e-9d1f-2b6a4e8c0f13","object":"chat.completion.chunk","created":1742802511,"model":"deepseek-chat","system_fingerprint":"fp_3a5770e1b4_prod0225","choices":[{"index":0,"delta":{"content":"世界🌏"},"logprobs":null,"finish_reason":null}]}\n\n',
    'data: {"id":"5f2d0e1c-8a7b-4c3e-9d1f-2b6a4e8c0f13","object":"chat.completion.chunk","created":1742802511,"model":"deepseek-chat","system_fingerprint":"fp_3a5770e1b4_prod0225","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":11}}\n\n',
    'data: [DONE]\n\n',
  ],
  usage: { promptTokens: 11, completionTokens: 4, cachedTokens: 0 },
  text: '你好，世界🌏',
};

// Grok-style running totals on every chunk: the last one counts.
const usageOnEveryChunk: RecordedStream = {
  events: [
    'data: {"id":"e409f4cc-6be8-4920-8de4-9849e7c66cd9","object":"chat.completion.chunk","created":1732551988,"model":"grok-beta","choices":[{"index":0,"delta":{"content":"Coca","role":"assistant"}}],"usage":{"prompt_tokens":38,"completion_tokens":1,"total_tokens":39,"prompt_tokens_details":{"text_tokens":38,"audio_tokens":0,"image_tokens":0,"cached_tokens":0}},"system_fingerprint":"fp_6ca29cf396"}\n\n',
    'data: {"id":"e409f4cc-6be8-4920-8de4-9849e7c66cd9","object":"chat.completion.chunk","created":1732551988,"model":"grok-beta","choices":[{"index":0,"delta":{"content":"-Cola","role":"assistant"}}],"usage":{"prompt_tokens":38,"completion_tokens":2,"total_tokens":40,"prompt_tokens_details":{"text_tokens":38,"audio_tokens":0,"image_tokens":0,"cached_tokens":0}},"system_fingerprint":"fp_6ca29cf396"}\n\n',
    'data: {"id":"e409f4cc-6be8-4920-8de4-9849e7c66cd9","object":"chat.completion.chunk","created":1732551988,"model":"grok-beta","choices":[{"index":0,"delta":{"content":"","role":"assistant"},"finish_reason":"stop"}],"usage":{"prompt_tokens":38,"completion_tokens":3,"total_tokens":41,"prompt_tokens_details":{"text_tokens":38,"audio_tokens":0,"image_tokens":0,"cached_tokens":0}},"system_fingerprint":"fp_6ca29cf396"}\n\n',
    'data: [DONE]\n\n',
  ],
  usage: { promptTokens: 38, completionTokens: 3, cachedTokens: 0 },
  text: 'Coca-Cola',
};

// Legacy completions with include_usage.
const legacyCompletion: RecordedStream = {
  events: [
    'data: {"id":"cmpl-BEHYq3GkP1xVn7tWcZ2rJm8sLd4Qa","object":"text_completion","created":1742802804,"choices":[{"text":"\\n\\n","index":0,"logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct:20230824-v2","usage":null}\n\n',
    'data: {"id":"cmpl-BEHYq3GkP1xVn7tWcZ2rJm8sLd4Qa","object":"text_completion","created":1742802804,"choices":[{"text":"Bonjour","index":0,"logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct:20230824-v2","usage":null}\n\n',
    'data: {"id":"cmpl-BEHYq3GkP1xVn7tWcZ2rJm8sLd4Qa","object":"text_completion","created":1742802804,"choices":[{"text":" café ☕","index":0,"logprobs":null,"finish_reason":null}],"model":"gpt-3.5-turbo-instruct:20230824-v2","usage":null}\n\n',
    'data: {"id":"cmpl-BEHYq3GkP1xVn7tWcZ2rJm8sLd4Qa","object":"text_completion","created":1742802804,"choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"length"}],"model":"gpt-3.5-turbo-instruct:20230824-v2","usage":null}\n\n',
    'data: {"id":"cmpl-BEHYq3GkP1xVn7tWcZ2rJm8sLd4Qa","object":"text_completion","created":1742802804,"model":"gpt-3.5-turbo-instruct:20230824-v2","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}\n\n',
    'data: [DONE]\n\n',
  ],
  usageEvent: 4,
  usage: { promptTokens: 5, completionTokens: 6 },
  text: '\n\nBonjour café ☕',
};

// Azure without usage: its first chunk also has "choices":[] (prompt filter results),
// and a relay in front of it sends keep-alive comments.
const azureWithoutUsage: RecordedStream = {
  events: [
    'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}\n\n',
    ': keep-alive\n\n',
    'data: {"choices":[{"content_filter_results":{},"delta":{"content":"","refusal":null,"role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1742803020,"id":"chatcmpl-BEHcOa5yUeL0rPjxNwD1f7KtVg9Hs","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_ee1d74bde0"}\n\n',
    ': keep-alive\n\n',
    'data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Hi"},"finish_reason":null,"index":0,"logprobs":null}],"created":1742803020,"id":"chatcmpl-BEHcOa5yUeL0rPjxNwD1f7KtVg9Hs","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_ee1d74bde0"}\n\n',
    'data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1742803020,"id":"chatcmpl-BEHcOa5yUeL0rPjxNwD1f7KtVg9Hs","model":"gpt-4o-2024-11-20","object":"chat.completion.chunk","system_fingerprint":"fp_ee1d74bde0"}\n\n',
    'data: [DONE]\n\n',
  ],
  usage: undefined,
  text: 'Hi',
};

const STREAMS = {
  chatWithUsage,
  toolCalls,
  usageOnLastContentChunk,
  usageOnEveryChunk,
  legacyCompletion,
  azureWithoutUsage,
};

const FRAMINGS = [
  ['\\n', '\n'],
  ['\\r\\n', '\r\n'],
] as const;

const framed = (events: string[], eol: string) => events.map((e) => e.replace(/\n/g, eol));

/** What the client receives when the upstream stream is cut in two at `at`. */
function replay(tap: OpenAIStreamTap, bytes: Buffer, at: number) {
  const chunks = [bytes.subarray(0, at), bytes.subarray(at)];
  const sent = chunks.map((chunk) => tap.push(chunk));
  return { chunks, sent, out: Buffer.concat([...sent, tap.end()]) };
}

const observed = (tap: OpenAIStreamTap) => ({
  usage: tap.usage,
  completionText: tap.completionText,
});

describe.each(Object.entries(STREAMS))('OpenAIStreamTap on %s', (_, stream) => {
  describe.each(FRAMINGS)('with %s line endings', (__, eol) => {
    const events = framed(stream.events, eol);
    const bytes = Buffer.from(events.join(''));
    const expected = (collected: string | undefined) => ({
      usage: stream.usage,
      completionText: collected,
    });

    it('forwards every chunk unchanged and at once when not stripping, wherever it is cut', () => {
      for (let at = 0; at <= bytes.length; at += 1) {
        const tap = new OpenAIStreamTap({ stripUsageChunk: false });
        const { chunks, sent, out } = replay(tap, bytes, at);
        expect(sent[0], `cut at ${at}`).toBe(chunks[0]);
        expect(sent[1], `cut at ${at}`).toBe(chunks[1]);
        expect(out.equals(bytes)).toBe(true);
        expect(observed(tap), `cut at ${at}`).toEqual(expected(undefined));
      }
    });

    it('removes exactly the usage-only event when stripping, every other byte kept', () => {
      const kept = events.filter((_event, index) => index !== stream.usageEvent).join('');
      for (let at = 0; at <= bytes.length; at += 1) {
        const tap = new OpenAIStreamTap({ stripUsageChunk: true });
        const { out } = replay(tap, bytes, at);
        expect(out.toString(), `cut at ${at}`).toBe(kept);
        expect(observed(tap), `cut at ${at}`).toEqual(expected(undefined));
      }
    });

    it('collects the generated text across UTF-8 characters split between chunks', () => {
      for (const stripUsageChunk of [false, true]) {
        for (let at = 0; at <= bytes.length; at += 1) {
          const tap = new OpenAIStreamTap({ stripUsageChunk, collectText: true });
          replay(tap, bytes, at);
          expect(observed(tap), `cut at ${at}`).toEqual(expected(stream.text));
        }
      }
    });
  });

  it('gives the same answers when the stream arrives one byte at a time', () => {
    const bytes = Buffer.from(stream.events.join(''));
    const tap = new OpenAIStreamTap({ stripUsageChunk: true, collectText: true });
    const out = Buffer.concat([...Array.from(bytes, (b) => tap.push(Buffer.from([b]))), tap.end()]);
    const kept = stream.events.filter((_event, index) => index !== stream.usageEvent).join('');
    expect(out.toString()).toBe(kept);
    expect(observed(tap)).toEqual({
      usage: stream.usage,
      completionText: stream.text,
    });
  });
});

describe('OpenAIStreamTap', () => {
  afterEach(() => vi.restoreAllMocks());

  it('holds back only the bytes of an unfinished event when stripping', () => {
    const [first, second] = chatWithUsage.events as [string, string];
    const tap = new OpenAIStreamTap({ stripUsageChunk: true });
    const cut = second.length - 7;
    expect(tap.push(Buffer.from(first + second.slice(0, cut))).toString()).toBe(first);
    expect(tap.push(Buffer.from(second.slice(cut))).toString()).toBe(second);
  });

  it('parses no ordinary chunk when it is not collecting text', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const tap = new OpenAIStreamTap({ stripUsageChunk: true });
    for (const event of chatWithUsage.events) tap.push(Buffer.from(event));
    tap.end();
    // Only the usage chunk is parsed; the others say "usage":null.
    expect(parse).toHaveBeenCalledTimes(1);
    expect(tap.usage).toEqual(chatWithUsage.usage);
  });

  it('strips exactly the usage event when extra line feeds run between chunks', () => {
    const usage = chatWithUsage.events[6] as string;
    const tap = new OpenAIStreamTap({ stripUsageChunk: true, collectText: true });
    const sent = ['data: {"choices":[{"delta":{"content":"a"}}]}\n\n\n', `\n${usage}`].map(
      (chunk) => tap.push(Buffer.from(chunk)).toString(),
    );
    expect(sent).toEqual(['data: {"choices":[{"delta":{"content":"a"}}]}\n\n', '\n\n']);
    expect(tap.usage).toEqual(chatWithUsage.usage);
    expect(tap.completionText).toBe('a');
  });

  it('finds the usage key wherever it falls in an event, and only the key', () => {
    const usage = '{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}';
    const events = [
      // Right after `data: `, spaced from its value, and after text made of the key's bytes.
      `data: {"usage" :\t${usage},"choices":[]}\n\n`,
      `data: {"choices":[{"delta":{"content":"usage\\"usag\\"usage"}}],"usage": ${usage}}\n\n`,
      `data:{"choices":[],"usage":${usage}}\n\n`,
    ];
    for (const event of events) {
      const tap = new OpenAIStreamTap({ stripUsageChunk: false });
      tap.push(Buffer.from(event));
      expect(tap.usage, event).toEqual({ promptTokens: 3, completionTokens: 2 });
    }
    const none = new OpenAIStreamTap({ stripUsageChunk: true });
    const text = 'data: {"choices":[{"delta":{"content":"\\"usage\\": 1"}}],"usage":null}\n\n';
    expect(none.push(Buffer.from(text)).toString()).toBe(text);
    expect(none.usage).toBeUndefined();
  });

  it('reads usage from, and forwards, a last event the upstream did not terminate', () => {
    const events = chatWithUsage.events.slice(0, 7).join('');
    for (const stripUsageChunk of [false, true]) {
      const tap = new OpenAIStreamTap({ stripUsageChunk });
      tap.push(Buffer.from(events.trimEnd()));
      tap.end();
      expect(tap.usage).toEqual(chatWithUsage.usage);
      const done = new OpenAIStreamTap({ stripUsageChunk });
      done.push(Buffer.from('data: [DONE]'));
      expect(done.end().toString()).toBe(stripUsageChunk ? 'data: [DONE]' : '');
    }
  });

  describe('endWithError', () => {
    /** The events a client's SSE parser gets from these bytes, as their data. */
    const clientSees = (bytes: Buffer) =>
      [...new SseEventSplitter().push(bytes)].map((event) => sseEventData(event));
    const error = { message: 'upstream broke off', type: 'upstream_error', code: 'stream_cut' };
    const errorData =
      '{"error":{"message":"upstream broke off","type":"upstream_error","param":null,"code":"stream_cut"}}';

    it('closes an event the client got part of, so the error arrives as its own event', () => {
      const [first, second] = chatWithUsage.events as [string, string];
      const tap = new OpenAIStreamTap({ stripUsageChunk: false });
      const sent = tap.push(Buffer.from(first + second.slice(0, 40)));
      const seen = clientSees(Buffer.concat([sent, tap.endWithError(error)]));
      expect(seen).toEqual([first.slice(6, -2), second.slice(6, 40), errorData]);
    });

    it('sends just the error when no event was left unfinished', () => {
      const tap = new OpenAIStreamTap({ stripUsageChunk: false });
      tap.push(Buffer.from(chatWithUsage.events[0] as string));
      expect(tap.endWithError(error).toString()).toBe(`data: ${errorData}\n\n`);
    });

    it('drops the unfinished event when stripping: the client never got its start', () => {
      const [first, second] = chatWithUsage.events as [string, string];
      const tap = new OpenAIStreamTap({ stripUsageChunk: true });
      const sent = tap.push(Buffer.from(first + second.slice(0, 40)));
      const seen = clientSees(Buffer.concat([sent, tap.endWithError(error)]));
      expect(seen).toEqual([first.slice(6, -2), errorData]);
    });
  });
});
