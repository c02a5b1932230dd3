import { describe, expect, it } from 'vitest';
import { MessageEventConverter } from './message-events.js';

function converter(stripUsageChunk = false) {
  return new MessageEventConverter({ stripUsageChunk, collectText: true, model: 'claude-x' });
}

/** The chunks (parsed) the client gets for these events; `[DONE]` as the string. */
function chunks(conv: MessageEventConverter, events: unknown[]): unknown[] {
  return events
    .map((event) => conv.convert(event))
    .join('')
    .split('\n\n')
    .filter(Boolean)
    .map((event) => event.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : (JSON.parse(data) as unknown)));
}

const start = (usage: object = { input_tokens: 5, output_tokens: 1 }) => ({
  type: 'message_start',
  message: { id: 'msg_a', usage },
});
const stop = (output_tokens: unknown = 3) => ({
  type: 'message_delta',
  delta: { stop_reason: 'end_turn' },
  usage: { output_tokens },
});

describe('MessageEventConverter', () => {
  it('keeps one id and creation time through the stream, naming the requested model', () => {
    const out = chunks(converter(), [
      start(),
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      stop(),
      { type: 'message_stop' },
    ]) as { id: string; created: number; model: string }[];
    const objects = out.filter((chunk) => chunk !== ('[DONE]' as unknown));
    expect(new Set(objects.map((chunk) => chunk.id))).toEqual(new Set(['chatcmpl-msg_a']));
    expect(new Set(objects.map((chunk) => chunk.created)).size).toBe(1);
    expect(objects.every((chunk) => chunk.model === 'claude-x')).toBe(true);
    expect(out.at(-1)).toBe('[DONE]');
  });

  it('ignores pings, unknown events, events that are not objects and non-JSON data', () => {
    const conv = converter();
    for (const event of [{ type: 'ping' }, { type: 'brand_new_event', x: 1 }, null, 'text', 42]) {
      expect(conv.convert(event)).toBe('');
    }
    expect(conv.usage).toBeUndefined();
  });

  it('sends tool arguments fragment by fragment, even when they do not make valid JSON', () => {
    const conv = converter();
    const out = chunks(conv, [
      start(),
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"a":' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: ' tru' },
      },
      {
        type: 'content_block_delta',
        index: 7,
        delta: { type: 'input_json_delta', partial_json: 'x' },
      },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ]);
    expect(JSON.stringify(out)).toContain('"arguments":"{\\"a\\":"');
    expect(JSON.stringify(out)).toContain('"arguments":" tru"');
    // A delta for a block that never started is not invented into a call.
    expect(JSON.stringify(out)).not.toContain('"arguments":"x"');
    expect(conv.completionText).toBe('{"a": tru');
    expect(conv.done).toBe(true);
  });

  it('numbers tool calls 0, 1, … whatever their block index', () => {
    const out = chunks(converter(), [
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 't1', name: 'a' },
      },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 't2', name: 'b' },
      },
      {
        type: 'content_block_delta',
        index: 2,
        delta: { type: 'input_json_delta', partial_json: '{}' },
      },
    ]);
    const calls = JSON.stringify(out);
    expect(calls).toContain('{"index":0,"id":"t1"');
    expect(calls).toContain('{"index":1,"id":"t2"');
    expect(calls).toContain('"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]');
  });

  it('sends nothing after an error event', () => {
    const conv = converter();
    const text = [
      start(),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'late' } },
      stop(),
      { type: 'message_stop' },
    ]
      .map((event) => conv.convert(event))
      .join('');
    expect(conv.failed).toBe(true);
    expect(conv.done).toBe(false);
    expect(text).not.toContain('late');
    expect(
      text.endsWith(
        'data: {"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}}\n\n',
      ),
    ).toBe(true);
  });

  it.each([
    ['negative', -3],
    ['fractional', 2.5],
    ['huge', 1e15],
    ['a string', '7'],
  ])('reports no usage when the output count is %s', (_, count) => {
    const conv = converter();
    const out = chunks(conv, [start(), stop(count), { type: 'message_stop' }]);
    expect(conv.usage).toBeUndefined();
    // The answer still ends properly, without a usage chunk made of bad numbers.
    expect(JSON.stringify(out)).not.toContain('"choices":[]');
    expect(out.at(-1)).toBe('[DONE]');
  });

  it('takes message_delta counts over message_start ones (they are cumulative)', () => {
    const conv = converter();
    chunks(conv, [
      start({ input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 }),
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens' },
        usage: { input_tokens: 6, output_tokens: 40 },
      },
    ]);
    expect(conv.usage).toEqual({ promptTokens: 106, completionTokens: 40, cachedTokens: 100 });
  });

  it('opens with the role chunk even when message_start is missing', () => {
    const out = chunks(converter(true), [
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } },
    ]) as { choices: { delta: object }[] }[];
    expect(out.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'x' },
    ]);
  });
});
