import { describe, expect, it } from 'vitest';
import type { StreamTap } from '../adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { clientRequest, fixture } from '../anthropic/fixtures.js';
import { OpenAIStreamTap } from '../openai-sse/openai-stream-tap.js';
import { ClaudeStreamTap } from './claude-stream-tap.js';
import {
  claudeEvents,
  errorStream,
  parallelToolStream,
  reasoningStream,
  textStream,
  toolStream,
  type ClaudeEvent,
} from './fixtures.js';

const MODEL = 'claude-sonnet-4-5';

/** The OpenAI tap as the OpenAI adapter builds it for a Claude client (usage always read). */
function openAITap(): StreamTap {
  return new OpenAIStreamTap({ stripUsageChunk: false, collectText: true });
}

/** What the Claude client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], inner: StreamTap = openAITap()) {
  const tap = new ClaudeStreamTap(inner, MODEL);
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: Buffer.concat(out).toString(),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

function types(events: ClaudeEvent[]): string[] {
  return events.map((event) => event.type);
}

/** The deltas of one block joined, as the client's SDK accumulates them. */
function joined(events: ClaudeEvent[], index: number, field: string): string {
  return events
    .filter((event) => event.type === 'content_block_delta' && event.index === index)
    .map((event) => String((event.delta as Record<string, unknown>)[field]))
    .join('');
}

function blockAt(events: ClaudeEvent[], index: number): unknown {
  return events.find((event) => event.type === 'content_block_start' && event.index === index)
    ?.content_block;
}

function messageDelta(events: ClaudeEvent[]): unknown {
  return events.find((event) => event.type === 'message_delta');
}

describe('ClaudeStreamTap', () => {
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

  it('streams a text answer as one text block, then the stop reason and usage', () => {
    const result = run([Buffer.from(textStream)]);
    const events = claudeEvents(result.text);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      message: { id: 'msg_C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG', model: MODEL, content: [] },
    });
    expect(blockAt(events, 0)).toEqual({ type: 'text', text: '' });
    expect(joined(events, 0, 'text')).toBe('Bonjour, wörld 👋 !');
    expect(messageDelta(events)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 86, output_tokens: 5, cache_read_input_tokens: 1920 },
    });
    // Billing still reads the OpenAI tap.
    expect(result.usage).toEqual({ promptTokens: 2006, completionTokens: 5, cachedTokens: 1920 });
    expect(result.completionText).toBe('Bonjour, wörld 👋 !');
  });

  it('streams text then a tool call whose input arrives in fragments', () => {
    const events = claudeEvents(run([Buffer.from(toolStream)]).text);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(joined(events, 0, 'text')).toBe('Let me check.');
    expect(blockAt(events, 1)).toEqual({
      type: 'tool_use',
      id: 'call_Qz8BvWmLk3TgR2xNpYc7Hs1D',
      name: 'get_weather',
      input: {},
    });
    expect(JSON.parse(joined(events, 1, 'partial_json'))).toEqual({ location: '東京' });
    expect(messageDelta(events)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 156, output_tokens: 15, cache_read_input_tokens: 1024 },
    });
  });

  it('streams two parallel tool calls as two tool_use blocks', () => {
    const events = claudeEvents(run([Buffer.from(parallelToolStream)]).text);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(blockAt(events, 0)).toMatchObject({ id: 'call_Pa1sX8vR3mK9tL2q', name: 'get_weather' });
    expect(JSON.parse(joined(events, 0, 'partial_json'))).toEqual({ location: 'Paris' });
    expect(blockAt(events, 1)).toMatchObject({ id: 'call_Ly2oN7wQ4jH8sD5e', name: 'get_time' });
    expect(JSON.parse(joined(events, 1, 'partial_json'))).toEqual({ timezone: 'Europe/Paris' });
    expect(messageDelta(events)).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 96, output_tokens: 40, cache_read_input_tokens: 0 },
    });
  });

  it('streams reasoning as a thinking block before the text', () => {
    const events = claudeEvents(run([Buffer.from(reasoningStream)]).text);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(blockAt(events, 0)).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(joined(events, 0, 'thinking')).toBe('1071 = 2 × 462 + 147; 462 = 3 × 147 + 21');
    expect(blockAt(events, 1)).toEqual({ type: 'text', text: '' });
    expect(joined(events, 1, 'text')).toBe('The GCD is 21.');
    // The usage came on the finish chunk, as DeepSeek sends it.
    expect(messageDelta(events)).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 20, output_tokens: 60, cache_read_input_tokens: 0 },
    });
  });

  it("ends with Claude's error event when OpenAI's stream reports an error", () => {
    const events = claudeEvents(run([Buffer.from(errorStream)]).text);
    expect(types(events)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
    expect(events[3]).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: 'The server had an error while processing your request. Sorry about that!',
      },
    });
  });

  it('ends with an error event after a transport failure mid-answer', () => {
    const tap = new ClaudeStreamTap(openAITap(), MODEL);
    const bytes = Buffer.from(textStream);
    const sent = tap.push(bytes.subarray(0, textStream.indexOf(', wörld') + 3));
    expect(types(claudeEvents(sent.toString()))).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
    ]);
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    expect(claudeEvents(tap.endWithError(error).toString())).toEqual([
      { type: 'error', error: { type: 'api_error', message: 'upstream timed out (timeout)' } },
    ]);
  });

  it('ends the message when the stream closes without [DONE]', () => {
    const noDone = Buffer.from(textStream.replace('data: [DONE]\n\n', ''));
    expect(run([noDone]).text).toBe(run([Buffer.from(textStream)]).text);

    const finishChunk = textStream.lastIndexOf(
      'data: ',
      textStream.indexOf('"finish_reason":"stop"'),
    );
    const noFinish = Buffer.from(textStream.slice(0, finishChunk));
    const events = claudeEvents(run([noFinish]).text);
    expect(types(events).slice(-4)).toEqual([
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(messageDelta(events)).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('reads a last event that lacks its blank line', () => {
    const bytes = Buffer.from(textStream.slice(0, -2));
    expect(run([bytes]).text).toBe(run([Buffer.from(textStream)]).text);
  });

  it('answers an empty upstream stream with a whole empty message', () => {
    const events = claudeEvents(run([]).text);
    expect(types(events)).toEqual(['message_start', 'message_delta', 'message_stop']);
  });

  it('sends nothing for keep-alive comments', () => {
    const tap = new ClaudeStreamTap(openAITap(), MODEL);
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
    const events = claudeEvents(text.text);
    expect(events[0]).toMatchObject({ message: { id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY' } });
    expect(joined(events, 0, 'text')).toBe('Hello, wörld 👋!');
    expect(types(events).slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(text.failed).toBe(false);

    const failed = run([fixture('error-stream.sse')], anthropicTap());
    expect(claudeEvents(failed.text).at(-1)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded (overloaded)' },
    });
    expect(failed.failed).toBe(true);
  });
});
