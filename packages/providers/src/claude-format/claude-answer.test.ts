import { describe, expect, it } from 'vitest';
import { claudeMessageOfChat } from './claude-answer.js';
import { lengthAnswer, reasoningAnswer, textAnswer, toolCallsAnswer } from './fixtures.js';

describe('claudeMessageOfChat', () => {
  it('turns a text answer into a Claude message, the cached prompt counted apart', () => {
    expect(claudeMessageOfChat(textAnswer, 'claude-sonnet-4-5')).toEqual({
      id: 'msg_C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Bonjour !' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 86,
        output_tokens: 4,
        cache_read_input_tokens: 1920,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('turns tool calls into tool_use blocks, arguments that do not parse into {}', () => {
    const message = claudeMessageOfChat(toolCallsAnswer, 'claude-sonnet-4-5');
    expect(message.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_Qz8BvWmLk3TgR2xNpYc7Hs1D',
        name: 'get_weather',
        input: { location: 'Paris, France' },
      },
      { type: 'tool_use', id: 'call_Hn4KdP2sVx9LmQ7tRb3WcZ8e', name: 'get_weather', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 85,
      output_tokens: 42,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
  });

  it('puts the reasoning first as a thinking block', () => {
    const message = claudeMessageOfChat(reasoningAnswer, 'claude-opus-4-1');
    expect(message.id).toBe('msg_9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47');
    expect(message.content).toEqual([
      {
        type: 'thinking',
        thinking: '1071 = 2 × 462 + 147; 462 = 3 × 147 + 21; 147 = 7 × 21.',
        signature: '',
      },
      { type: 'text', text: 'The GCD is 21.' },
    ]);
  });

  it('reads content parts and reports a cut-off answer as max_tokens', () => {
    const message = claudeMessageOfChat(lengthAnswer, 'claude-haiku-4-5');
    expect(message.content).toEqual([{ type: 'text', text: 'Once upon a' }]);
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('maps every finish reason', () => {
    const stopReason = (finish: unknown) =>
      claudeMessageOfChat({ choices: [{ message: {}, finish_reason: finish }] }, 'm').stop_reason;
    expect(
      ['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'other', null].map(
        stopReason,
      ),
    ).toEqual([
      'end_turn',
      'max_tokens',
      'tool_use',
      'tool_use',
      'refusal',
      'end_turn',
      'end_turn',
    ]);
  });

  it('survives answers that are not what they should be', () => {
    for (const chat of [undefined, 'text', [], { choices: 'x', usage: 'y' }]) {
      const message = claudeMessageOfChat(chat, 'claude-sonnet-4-5');
      expect(message).toMatchObject({
        id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
        type: 'message',
        content: [],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      });
    }
  });

  it('counts invalid numbers as 0 and never reports negative input', () => {
    const usage = (counts: unknown) => claudeMessageOfChat({ usage: counts }, 'm').usage;
    expect(
      usage({
        prompt_tokens: 10,
        completion_tokens: -3,
        prompt_tokens_details: { cached_tokens: 40 },
      }),
    ).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 40,
      cache_creation_input_tokens: 0,
    });
    expect(usage({ prompt_tokens: '10', completion_tokens: 2.5 })).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
    });
  });
});
