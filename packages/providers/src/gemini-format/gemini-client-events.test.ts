import { describe, expect, it } from 'vitest';
import { SKIPPED_THOUGHT_SIGNATURE } from '../gemini/chat-contents.js';
import type { JsonObject } from '../json-values.js';
import { geminiStream } from './fixtures.js';
import { GeminiEventWriter } from './gemini-client-events.js';

const ID = 'chatcmpl-B9xK2';
const MODEL = 'gemini-2.5-pro';

function chunk(delta: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    id: ID,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  };
}

function write(chunks: JsonObject[]): string {
  const writer = new GeminiEventWriter({ model: MODEL });
  return chunks.map((c) => writer.chunk(c)).join('') + writer.finish();
}

describe('GeminiEventWriter', () => {
  it('writes one event per chunk with text, and the finish with the usage last', () => {
    const { events } = geminiStream(
      write([
        chunk({ role: 'assistant', content: '' }),
        chunk({ reasoning_content: 'Hmm.', content: 'Hi' }),
        chunk({}, { choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }),
        chunk({}, { choices: [], usage: { prompt_tokens: 3, completion_tokens: 9 } }),
      ]),
    );
    expect(events).toEqual([
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'Hmm.', thought: true }, { text: 'Hi' }] },
            index: 0,
          },
        ],
        modelVersion: MODEL,
        responseId: 'B9xK2',
      },
      {
        candidates: [{ finishReason: 'MAX_TOKENS', index: 0 }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 9, totalTokenCount: 12 },
        modelVersion: MODEL,
        responseId: 'B9xK2',
      },
    ]);
  });

  it('gathers the arguments of calls streamed in turns and sends each call whole at the end', () => {
    const text = write([
      // A provider that leaves out the index of its first call.
      chunk({ tool_calls: [{ id: 'c0', function: { name: 'f', arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'c1', function: { name: 'g', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"b":2}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
    ]);
    const { events } = geminiStream(text);
    expect(events).toHaveLength(1);
    expect(events[0]?.candidates).toEqual([
      {
        content: {
          role: 'model',
          parts: [
            {
              functionCall: { id: 'c0', name: 'f', args: { a: 1 } },
              thoughtSignature: SKIPPED_THOUGHT_SIGNATURE,
            },
            { functionCall: { id: 'c1', name: 'g', args: { b: 2 } } },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ]);
  });

  it('leaves out other choices and writes nothing after the end', () => {
    const writer = new GeminiEventWriter({ model: MODEL });
    expect(writer.chunk({ id: ID, choices: [{ index: 1, delta: { content: 'second' } }] })).toBe(
      '',
    );
    expect(writer.finish()).not.toBe('');
    expect(writer.finish()).toBe('');
    expect(writer.chunk(chunk({ content: 'late' }))).toBe('');
    expect(writer.error({ message: 'x', type: 'server_error', code: null })).toBe('');
  });

  it('owes the bare error after its event until the end', () => {
    const writer = new GeminiEventWriter({ model: MODEL });
    const error = { message: 'Overloaded', type: 'overloaded_error', code: 'overloaded' };
    const event = writer.error(error);
    const expected = {
      error: { code: 503, message: 'Overloaded (overloaded)', status: 'UNAVAILABLE' },
    };
    expect(geminiStream(event)).toEqual({ events: [expected] });
    expect(writer.chunk(chunk({ content: 'late' }))).toBe('');
    expect(JSON.parse(writer.finish())).toEqual(expected);
    expect(writer.finish()).toBe('');

    const whole = new GeminiEventWriter({ model: MODEL }).error(error, true);
    expect(geminiStream(whole)).toEqual({ events: [expected], bare: expected });
  });

  it('words a failure mid-stream with the status its kind has', () => {
    const status = (type: string, code: string | null) =>
      geminiStream(new GeminiEventWriter({ model: MODEL }).error({ message: 'm', type, code }))
        .events[0];
    expect(status('rate_limit_error', 'rate_limit_exceeded')).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED' },
    });
    expect(status('upstream_error', 'timeout')).toMatchObject({
      error: { code: 504, status: 'DEADLINE_EXCEEDED' },
    });
    expect(status('server_error', 'server_shutting_down')).toMatchObject({ error: { code: 503 } });
    expect(status('upstream_error', 'stream_interrupted')).toMatchObject({
      error: { code: 500, status: 'INTERNAL' },
    });
  });
});
