import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json-values.js';
import { responsesEvents } from './fixtures.js';
import { ResponsesEventWriter } from './responses-events.js';

const ID = 'chatcmpl-B9xK2';
const REQUEST = { model: 'gpt-4.1', body: { model: 'gpt-4.1', input: 'hi', store: true } };

function chunk(delta: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    id: ID,
    object: 'chat.completion.chunk',
    created: 1760000000,
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  };
}

const finishChunk = (reason: string) => ({
  id: ID,
  choices: [{ index: 0, delta: {}, finish_reason: reason }],
});

describe('ResponsesEventWriter', () => {
  it('opens the response on the first chunk, with the chunk id and the asked model', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const events = responsesEvents(writer.chunk(chunk({ role: 'assistant', content: '' })));
    expect(events.map((e) => [e.type, e.sequence_number])).toEqual([
      ['response.created', 0],
      ['response.in_progress', 1],
    ]);
    expect(events[0]?.response).toMatchObject({
      id: 'resp_B9xK2',
      object: 'response',
      created_at: 1760000000,
      status: 'in_progress',
      model: 'gpt-4.1',
      output: [],
      usage: null,
      store: false,
    });
    // The response starts once; an empty delta writes nothing.
    expect(writer.chunk(chunk({ content: '' }))).toBe('');
  });

  it('closes each item before the next opens, numbering items and events on', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const text = [
      writer.chunk(chunk({ reasoning_content: 'Hmm.' })),
      writer.chunk(chunk({ content: 'Yes.' })),
      writer.chunk(
        chunk({
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f' } }],
        }),
      ),
      writer.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] })),
      writer.chunk(finishChunk('tool_calls')),
      writer.finish(),
    ].join('');
    const events = responsesEvents(text);
    expect(events.map((e) => `${e.type} ${String(e.output_index ?? '')}`.trim())).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added 0',
      'response.reasoning_summary_part.added 0',
      'response.reasoning_summary_text.delta 0',
      'response.reasoning_summary_text.done 0',
      'response.reasoning_summary_part.done 0',
      'response.output_item.done 0',
      'response.output_item.added 1',
      'response.content_part.added 1',
      'response.output_text.delta 1',
      'response.output_text.done 1',
      'response.content_part.done 1',
      'response.output_item.done 1',
      'response.output_item.added 2',
      'response.function_call_arguments.delta 2',
      'response.function_call_arguments.done 2',
      'response.output_item.done 2',
      'response.completed',
    ]);
    expect(events[0]?.sequence_number).toBe(0);
    expect(events[14]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 14,
      output_index: 2,
      item: {
        id: 'fc_B9xK2_2',
        type: 'function_call',
        status: 'in_progress',
        arguments: '',
        call_id: 'call_1',
        name: 'f',
      },
    });
    expect(events[16]).toMatchObject({ name: 'f', arguments: '{}', item_id: 'fc_B9xK2_2' });
    expect(events.at(-1)?.response).toMatchObject({
      status: 'completed',
      output: [
        { id: 'rs_B9xK2_0', summary: [{ type: 'summary_text', text: 'Hmm.' }] },
        { id: 'msg_B9xK2_1', status: 'completed', content: [{ text: 'Yes.' }] },
        { id: 'fc_B9xK2_2', status: 'completed', arguments: '{}' },
      ],
    });
  });

  it('streams a refusal as a refusal part of the message', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const text =
      writer.chunk(chunk({ refusal: "I can't" })) +
      writer.chunk(chunk({ refusal: ' help.' })) +
      writer.finish();
    const events = responsesEvents(text);
    expect(events.slice(2).map((e) => e.type)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.refusal.delta',
      'response.refusal.delta',
      'response.refusal.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[3]).toMatchObject({ part: { type: 'refusal', refusal: '' } });
    expect(events[6]).toMatchObject({ refusal: "I can't help.", content_index: 0 });
  });

  it('ends a response cut off by the limit as incomplete, its open item too', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    writer.chunk(chunk({ content: 'Once' }));
    writer.chunk(finishChunk('length'));
    const events = responsesEvents(writer.finish());
    expect(events.at(-2)).toMatchObject({
      type: 'response.output_item.done',
      item: { status: 'incomplete' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('sends arguments for a call only while it is open, as items cannot be reopened', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const call = (index: number, fields: JsonObject) =>
      writer.chunk(chunk({ tool_calls: [{ index, ...fields }] }));
    call(0, { id: 'call_a', function: { name: 'a', arguments: '{"x":' } });
    call(1, { id: 'call_b', function: { name: 'b', arguments: '{}' } });
    expect(call(0, { function: { arguments: '1}' } })).toBe('');
    const done = responsesEvents(writer.finish()).at(-1);
    expect(done?.response).toMatchObject({
      output: [{ arguments: '{"x":' }, { arguments: '{}' }],
    });
  });

  it('ends once: finish and error write nothing after the end', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const events = responsesEvents(writer.finish());
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ]);
    expect(writer.finish()).toBe('');
    expect(writer.chunk(chunk({ content: 'late' }))).toBe('');
    expect(writer.error({ message: 'x', type: 'upstream_error', code: null })).toBe('');
  });

  it('writes an error the SDKs raise, then response.failed with the answer so far', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const before = writer.chunk(chunk({ content: 'Bon' }));
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    const events = responsesEvents(before + writer.error(error));
    expect(events.slice(-2)).toEqual([
      {
        type: 'error',
        sequence_number: 5,
        code: 'timeout',
        message: 'upstream timed out',
        param: null,
        error: {
          type: 'upstream_error',
          code: 'timeout',
          message: 'upstream timed out',
          param: null,
        },
      },
      expect.objectContaining({ type: 'response.failed', sequence_number: 6 }),
    ]);
    expect(events.at(-1)?.response).toMatchObject({
      id: 'resp_B9xK2',
      status: 'failed',
      error: { code: 'timeout', message: 'upstream timed out' },
      output: [{ type: 'message', status: 'in_progress', content: [{ text: 'Bon' }] }],
    });
    expect(writer.finish()).toBe('');
  });

  it('reports a failure before any chunk inside a whole event stream', () => {
    const writer = new ResponsesEventWriter(REQUEST);
    const events = responsesEvents(
      writer.error({ message: 'boom', type: 'upstream_error', code: null }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'error',
      'response.failed',
    ]);
    expect(events[3]?.response).toMatchObject({ error: { code: 'server_error', message: 'boom' } });
  });

  it("streams a freeform tool's call as a custom_tool_call with its raw input", () => {
    const writer = new ResponsesEventWriter({
      model: 'gpt-5',
      body: { model: 'gpt-5', input: 'hi', tools: [{ type: 'custom', name: 'apply_patch' }] },
    });
    const first = {
      index: 0,
      id: 'call_P',
      type: 'function',
      function: { name: 'apply_patch', arguments: '' },
    };
    const more = (args: string) =>
      chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] });
    const text =
      writer.chunk(chunk({ tool_calls: [first] })) +
      writer.chunk(more('{"input":"*** Begin')) +
      writer.chunk(more(' Patch"}')) +
      writer.chunk(finishChunk('tool_calls')) +
      writer.finish();
    const events = responsesEvents(text);
    expect(events.map((e) => e.type)).not.toContain('response.function_call_arguments.delta');
    expect(events.find((e) => e.type === 'response.custom_tool_call_input.done')).toMatchObject({
      input: '*** Begin Patch',
    });
    const done = events.find((e) => e.type === 'response.output_item.done');
    expect(done?.item).toMatchObject({
      type: 'custom_tool_call',
      call_id: 'call_P',
      name: 'apply_patch',
      input: '*** Begin Patch',
      status: 'completed',
    });
    const completed = events.at(-1);
    expect(completed?.type).toBe('response.completed');
    expect((completed?.response as { output: unknown[] }).output).toEqual([done?.item]);
  });
});
