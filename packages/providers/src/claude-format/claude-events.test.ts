import { describe, expect, it } from 'vitest';
import { ClaudeEventWriter } from './claude-events.js';
import { claudeEvents } from './fixtures.js';
import type { JsonObject } from '../json-values.js';

const ID = 'chatcmpl-B9xK2';

function chunk(delta: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    id: ID,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  };
}

describe('ClaudeEventWriter', () => {
  it('opens the message on a role-only chunk, with the chunk id and the asked model', () => {
    const writer = new ClaudeEventWriter({ model: 'claude-sonnet-4-5' });
    expect(writer.started).toBe(false);
    const events = claudeEvents(writer.chunk(chunk({ role: 'assistant', content: '' })));
    expect(events).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_B9xK2',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      },
    ]);
    expect(writer.started).toBe(true);
    // message_start goes out once.
    expect(writer.chunk(chunk({ content: '' }))).toBe('');
  });

  it('closes each block before the next kind opens, counting indexes from 0', () => {
    const writer = new ClaudeEventWriter({ model: 'm' });
    const text = [
      writer.chunk(chunk({ reasoning_content: 'Hmm.' })),
      writer.chunk(chunk({ content: 'Yes.' })),
      writer.chunk(
        chunk({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f' } }] }),
      ),
      writer.finish(),
    ].join('');
    const events = claudeEvents(text);
    expect(events.map((e) => [e.type, e.index])).toEqual([
      ['message_start', undefined],
      ['content_block_start', 0],
      ['content_block_delta', 0],
      ['content_block_stop', 0],
      ['content_block_start', 1],
      ['content_block_delta', 1],
      ['content_block_stop', 1],
      ['content_block_start', 2],
      ['content_block_stop', 2],
      ['message_delta', undefined],
      ['message_stop', undefined],
    ]);
    expect(events[1]?.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(events[2]?.delta).toEqual({ type: 'thinking_delta', thinking: 'Hmm.' });
    expect(events[4]?.content_block).toEqual({ type: 'text', text: '' });
    expect(events[5]?.delta).toEqual({ type: 'text_delta', text: 'Yes.' });
    expect(events[7]?.content_block).toEqual({
      type: 'tool_use',
      id: 'call_1',
      name: 'f',
      input: {},
    });
  });

  it('ends an empty stream as a whole empty message, once', () => {
    const writer = new ClaudeEventWriter({ model: 'm' });
    const events = claudeEvents(writer.finish());
    expect(events.map((e) => e.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect(events[1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(writer.finished).toBe(true);
    expect(writer.finish()).toBe('');
    expect(writer.chunk(chunk({ content: 'late' }))).toBe('');
  });

  it('reports the finish reason and the usage, whichever chunk carried them', () => {
    const writer = new ClaudeEventWriter({ model: 'm' });
    writer.chunk(chunk({ content: 'Once' }));
    writer.chunk({ id: ID, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
    writer.chunk({
      id: ID,
      choices: [],
      usage: {
        prompt_tokens: 50,
        completion_tokens: 1,
        prompt_tokens_details: { cached_tokens: 8 },
      },
    });
    const delta = claudeEvents(writer.finish()).find((e) => e.type === 'message_delta');
    expect(delta).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 42, output_tokens: 1, cache_read_input_tokens: 8 },
    });
  });

  it('reads only the first choice and gives a tool call without id one of its own', () => {
    const writer = new ClaudeEventWriter({ model: 'm' });
    const text = writer.chunk({
      id: ID,
      choices: [
        { index: 1, delta: { content: 'second answer' } },
        { index: 0, delta: { tool_calls: [{ function: { name: 'f', arguments: '{"a":1}' } }] } },
      ],
    });
    const events = claudeEvents(text);
    expect(text).not.toContain('second answer');
    expect(events[1]?.content_block).toEqual({
      type: 'tool_use',
      id: expect.stringMatching(/^toolu_[0-9a-f]{32}$/),
      name: 'f',
      input: {},
    });
    expect(events[2]?.delta).toEqual({ type: 'input_json_delta', partial_json: '{"a":1}' });
  });

  it('writes an error event, overloaded where the upstream said so, and nothing after it', () => {
    const writer = new ClaudeEventWriter({ model: 'm' });
    writer.chunk(chunk({ content: 'Hel' }));
    const error = writer.error({ message: 'Busy', type: 'upstream_error', code: 'overloaded' });
    expect(error).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Busy (overloaded)"}}\n\n',
    );
    expect(writer.chunk(chunk({ content: 'lo' }))).toBe('');
    expect(writer.finish()).toBe('');
    expect(writer.error({ message: 'again', type: 'x', code: null })).toBe('');
    const plain = new ClaudeEventWriter({ model: 'm' });
    expect(
      claudeEvents(plain.error({ message: 'Boom', type: 'server_error', code: null })),
    ).toEqual([{ type: 'error', error: { type: 'api_error', message: 'Boom' } }]);
  });
});
