import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json-values.js';
import { PNG_DATA_URL, toolRoundTripRequest, weatherTool } from './fixtures.js';
import { chatRequestOfResponses, ResponsesRequestError } from './responses-request.js';

const hello = (extra: JsonObject = {}): JsonObject => ({ model: 'gpt-4.1', input: 'hi', ...extra });

/** The message of the ResponsesRequestError the body raises. */
function refusal(body: JsonObject): string {
  try {
    chatRequestOfResponses(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ResponsesRequestError);
    return (error as Error).message;
  }
  throw new Error('the body was accepted');
}

describe('chatRequestOfResponses', () => {
  it('converts a whole tool round trip into chat messages, settings and stream usage', () => {
    expect(chatRequestOfResponses(toolRoundTripRequest)).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You are a weather assistant.' },
        { role: 'system', content: [{ type: 'text', text: 'Use °C.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and Lyon? This is my view:' },
            { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
          ],
        },
        // The reasoning item is left out; the calls join the text said before them.
        {
          role: 'assistant',
          content: 'Let me check both.',
          tool_calls: [
            {
              id: 'call_Paris4kTq2',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
            },
            {
              id: 'call_Lyon7mWx9',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Lyon"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_Paris4kTq2', content: '15 °C, light rain' },
        // A tool message holds text: the image in the output is left out.
        { role: 'tool', tool_call_id: 'call_Lyon7mWx9', content: '18 °C\nsunny' },
        { role: 'user', content: 'Which is warmer?' },
      ],
      max_tokens: 800,
      temperature: 0.3,
      top_p: 0.9,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get the current weather in a given location',
            parameters: weatherTool.parameters,
            strict: true,
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('takes a string input as one user message, and asks no stream usage for a whole answer', () => {
    const chat = chatRequestOfResponses(
      hello({ stream: false, store: true, metadata: { a: 'b' } }),
    );
    expect(chat).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
      stream: false,
    });
  });

  it('keeps temperature 0 and leaves out empty instructions', () => {
    const chat = chatRequestOfResponses(hello({ temperature: 0, instructions: '' }));
    expect(chat.temperature).toBe(0);
    expect(chat.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('opens an assistant message for calls that follow no text', () => {
    const call = { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' };
    const chat = chatRequestOfResponses(
      hello({
        input: [
          { role: 'user', content: 'go' },
          { type: 'reasoning', id: 'rs_1', summary: [] },
          call,
          { ...call, call_id: 'call_2' },
          { type: 'function_call_output', call_id: 'call_1', output: 'one' },
          { type: 'function_call_output', call_id: 'call_2', output: 'two' },
          { ...call, call_id: 'call_3' },
        ],
      }),
    );
    const calls = (ids: string[]) =>
      ids.map((id) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } }));
    expect(chat.messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: calls(['call_1', 'call_2']) },
      { role: 'tool', tool_call_id: 'call_1', content: 'one' },
      { role: 'tool', tool_call_id: 'call_2', content: 'two' },
      { role: 'assistant', content: null, tool_calls: calls(['call_3']) },
    ]);
  });

  it('joins an earlier answer into one string, its refusal included', () => {
    const chat = chatRequestOfResponses(
      hello({
        input: [
          {
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'Part one. ', annotations: [] },
              { type: 'refusal', refusal: 'I cannot do part two.' },
            ],
          },
          { role: 'user', content: [{ type: 'input_text', text: 'Why?' }] },
        ],
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'assistant', content: 'Part one. I cannot do part two.' },
      { role: 'user', content: [{ type: 'text', text: 'Why?' }] },
    ]);
  });

  it('maps tool choices, json formats and reasoning effort; drops tool settings without tools', () => {
    const withTools = (extra: JsonObject) =>
      chatRequestOfResponses(hello({ tools: [weatherTool], ...extra }));
    expect(withTools({ tool_choice: 'required' }).tool_choice).toBe('required');
    expect(
      withTools({ tool_choice: { type: 'function', name: 'get_weather' } }).tool_choice,
    ).toEqual({
      type: 'function',
      function: { name: 'get_weather' },
    });
    const noTools = chatRequestOfResponses(
      hello({ tool_choice: 'none', parallel_tool_calls: false }),
    );
    expect(noTools).not.toHaveProperty('tool_choice');
    expect(noTools).not.toHaveProperty('parallel_tool_calls');

    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    expect(
      chatRequestOfResponses(
        hello({ text: { format: { type: 'json_schema', name: 'count', schema, strict: true } } }),
      ).response_format,
    ).toEqual({ type: 'json_schema', json_schema: { name: 'count', schema, strict: true } });
    expect(
      chatRequestOfResponses(hello({ text: { format: { type: 'json_object' } } })).response_format,
    ).toEqual({ type: 'json_object' });
    expect(
      chatRequestOfResponses(hello({ text: { format: { type: 'text' } } })),
    ).not.toHaveProperty('response_format');
    expect(
      chatRequestOfResponses(hello({ reasoning: { effort: 'high', summary: 'auto' } }))
        .reasoning_effort,
    ).toBe('high');
  });

  it('refuses what needs stored state, naming the field', () => {
    expect(refusal(hello({ previous_response_id: 'resp_123' }))).toMatch(
      /^previous_response_id: .*only upstreams that keep responses \(OpenAI\) can continue a stored response$/,
    );
    expect(refusal(hello({ input: [{ type: 'item_reference', id: 'msg_1' }] }))).toMatch(
      /^input\[0\]: .*store: false/,
    );
    // An item with neither type nor role is a reference too.
    expect(refusal(hello({ input: [{ id: 'msg_1' }] }))).toMatch(/^input\[0\]: /);
    expect(refusal(hello({ conversation: 'conv_1' }))).toMatch(/^conversation: /);
    // null means none.
    expect(chatRequestOfResponses(hello({ previous_response_id: null }))).toBeDefined();
  });

  it('leaves out built-in tools, which agents offer beside their functions', () => {
    const chat = chatRequestOfResponses(
      hello({ tools: [{ type: 'web_search' }, weatherTool, { type: 'namespace', tools: [] }] }),
    );
    expect((chat.tools as JsonObject[]).map((tool) => tool.type)).toEqual(['function']);
  });

  it('offers a freeform tool as a function of its raw input, and replays its calls', () => {
    const applyPatch = {
      type: 'custom',
      name: 'apply_patch',
      description: 'Edit files',
      format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch"' },
    };
    const chat = chatRequestOfResponses(
      hello({
        tools: [applyPatch],
        tool_choice: { type: 'custom', name: 'apply_patch' },
        input: [
          { role: 'user', content: 'Fix it' },
          { type: 'custom_tool_call', call_id: 'call_1', name: 'apply_patch', input: '*** Begin' },
          { type: 'custom_tool_call_output', call_id: 'call_1', output: 'Done' },
        ],
      }),
    );
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'apply_patch',
          description: 'Edit files',
          parameters: {
            type: 'object',
            properties: {
              input: {
                type: 'string',
                description: expect.stringContaining('start: "*** Begin Patch"') as unknown,
              },
            },
            required: ['input'],
            additionalProperties: false,
          },
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'apply_patch' } });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Fix it' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'apply_patch', arguments: '{"input":"*** Begin"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Done' },
    ]);
  });

  it('refuses tools, items and parts it cannot convert, clearly', () => {
    expect(refusal(hello({ input: [{ type: 'computer_call', call_id: 'c', action: {} }] }))).toBe(
      `input[0].type: "computer_call" items are not supported by the gateway's conversion`,
    );
    const user = (part: JsonObject) => hello({ input: [{ role: 'user', content: [part] }] });
    expect(refusal(user({ type: 'input_image', file_id: 'file-abc', detail: 'auto' }))).toMatch(
      /^input\[0\]\.content\[0\]\.file_id: .*image_url/,
    );
    expect(refusal(user({ type: 'input_file', file_id: 'file-abc' }))).toBe(
      `input[0].content[0]: files are not supported by the gateway's conversion`,
    );
    expect(
      refusal(hello({ tools: [weatherTool], tool_choice: { type: 'allowed_tools', tools: [] } })),
    ).toMatch(/^tool_choice: /);
  });

  it.each([
    ['a missing model', { model: undefined }, /^model: /],
    ['an input of the wrong type', { input: 42 }, /^input: /],
    ['no message at all', { input: [{ type: 'reasoning', summary: [] }] }, /^input: /],
    ['an unknown role', { input: [{ role: 'tool', content: 'x' }] }, /^input\[0\]\.role: /],
    ['a role that is not a string', { input: [{ role: ['user'], content: 'x' }] }, /\.role: /],
    [
      'a call without id',
      { input: [{ type: 'function_call', name: 'f', arguments: '' }] },
      /\.call_id: /,
    ],
    [
      'arguments that are an object',
      { input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }] },
      /\.arguments: /,
    ],
    [
      'an output of the wrong type',
      { input: [{ type: 'function_call_output', call_id: 'c', output: 3 }] },
      /\.output: /,
    ],
    [
      'an image in a system message',
      { input: [{ role: 'system', content: [{ type: 'input_image', image_url: PNG_DATA_URL }] }] },
      /^input\[0\]\.content\[0\]: /,
    ],
    ['a NaN-ish temperature', { temperature: '0.5' }, /^temperature: /],
    ['a temperature above 2', { temperature: 2.5 }, /^temperature: /],
    ['a top_p above 1', { top_p: 1.5 }, /^top_p: /],
    ['a fractional max_output_tokens', { max_output_tokens: 10.5 }, /^max_output_tokens: /],
    ['a huge max_output_tokens', { max_output_tokens: 1e300 }, /^max_output_tokens: /],
    ['a zero max_output_tokens', { max_output_tokens: 0 }, /^max_output_tokens: /],
    ['a stream flag that is a string', { stream: 'yes' }, /^stream: /],
    [
      'a tool without a name',
      { tools: [{ type: 'function', parameters: {} }] },
      /^tools\[0\]\.name: /,
    ],
    [
      'tool parameters that are a string',
      { tools: [{ type: 'function', name: 'f', parameters: '{}' }] },
      /^tools\[0\]\.parameters: /,
    ],
    [
      'a json_schema without a schema',
      { text: { format: { type: 'json_schema', name: 'x' } } },
      /^text\.format\.schema: /,
    ],
    ['an unknown text format', { text: { format: { type: 'yaml' } } }, /^text\.format\.type: /],
    ['an effort that is a number', { reasoning: { effort: 3 } }, /^reasoning\.effort: /],
    ['a user that is a number', { user: 7 }, /^user: /],
    [
      'a type name that is huge',
      { input: [{ type: 'x'.repeat(100_000) }] },
      /^input\[0\]\.type: "x{40}" items/,
    ],
  ])('refuses %s with the field named', (_, extra, message) => {
    expect(refusal(hello(extra as JsonObject))).toMatch(message);
  });
});
