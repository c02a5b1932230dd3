import { describe, expect, it } from 'vitest';
import { FALLBACK_MAX_OUTPUT, maxOutputTokens } from './max-output.js';
import { toMessagesRequest } from './messages-request.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const convert = (json: Record<string, unknown>, model = MODEL) => toMessagesRequest(json, model);
const user = (content: unknown) => ({ role: 'user', content });

describe('toMessagesRequest', () => {
  it('sends neither model nor stream, and nothing the Messages API does not know', () => {
    const body = convert({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [user('Hi')],
      n: 1,
      presence_penalty: 0.5,
      seed: 7,
      logprobs: false,
    });
    expect(body).toEqual({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 64_000,
    });
  });

  it('moves system and developer messages to system, as text blocks', () => {
    const body = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        user('Hi'),
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ]);
    expect(body.messages).toHaveLength(1);
  });

  it('sends a lone system message as the prompt', () => {
    const body = convert({ messages: [{ role: 'system', content: 'Say hi.' }] });
    expect(body.system).toBeUndefined();
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Say hi.' }] }]);
  });

  it('merges consecutive turns of one role and starts with the user', () => {
    const body = convert({
      messages: [
        { role: 'assistant', content: 'Welcome!' },
        user('One'),
        user([{ type: 'text', text: 'Two' }]),
        { role: 'assistant', content: 'Three' },
        { role: 'assistant', content: '' },
        { role: 'assistant', content: 'Four' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: '(continue)' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Welcome!' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'One' },
          { type: 'text', text: 'Two' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Three' },
          { type: 'text', text: 'Four' },
        ],
      },
    ]);
  });

  it('sends data: images as base64 and http(s) images as URLs, dropping what it cannot send', () => {
    const body = convert({
      messages: [
        user([
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'ftp://example.com/x.gif' } },
          { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          { type: 'text', text: '' },
        ]),
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
          },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('keeps cache_control marks on content parts', () => {
    const mark = { type: 'ephemeral' };
    const body = convert({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long rules.', cache_control: mark }] },
        user('Hi'),
      ],
    });
    expect(body.system).toEqual([{ type: 'text', text: 'Long rules.', cache_control: mark }]);
  });

  it('converts tools, tool calls and their results', () => {
    const body = convert({
      messages: [
        user('Weather in Paris and Rome?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":' },
            },
            { id: 'call_3', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Rain' }] },
        { role: 'tool', tool_call_id: 'call_3', content: '12:00' },
        user('Thanks'),
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
        { type: 'function', function: { name: 'now' } },
        { type: 'retrieval' },
      ],
    });
    expect(body.tools).toEqual([
      {
        name: 'weather',
        description: 'Current weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          // Unparseable arguments travel as text rather than failing the request.
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { arguments: '{"city":' } },
          { type: 'tool_use', id: 'call_3', name: 'now', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'Rain' },
          { type: 'tool_result', tool_use_id: 'call_3', content: '12:00' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['none', undefined, { type: 'none' }],
    ['required', undefined, { type: 'any' }],
    [{ type: 'function', function: { name: 'f' } }, undefined, { type: 'tool', name: 'f' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    ['none', false, { type: 'none' }],
    [undefined, true, undefined],
  ])('converts tool_choice %j with parallel_tool_calls %j', (choice, parallel, expected) => {
    const body = convert({
      messages: [user('x')],
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: choice,
      parallel_tool_calls: parallel,
    });
    expect(body.tool_choice).toEqual(expected);
  });

  it('sends no tool_choice without tools', () => {
    expect(convert({ messages: [user('x')], tool_choice: 'required' }).tool_choice).toBeUndefined();
  });

  it('converts stop, temperature (clamped to 0–1), top_p and user', () => {
    const body = convert({
      messages: [user('x')],
      stop: ['END', ' ', 'STOP'],
      temperature: 1.7,
      top_p: 0.9,
      user: 'user-42',
    });
    expect(body).toMatchObject({
      stop_sequences: ['END', 'STOP'],
      temperature: 1,
      top_p: 0.9,
      metadata: { user_id: 'user-42' },
    });
    expect(convert({ messages: [user('x')], stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(convert({ messages: [user('x')], temperature: -1 }).temperature).toBe(0);
  });

  it('takes max_completion_tokens, then max_tokens, then the model maximum', () => {
    const messages = [user('x')];
    expect(convert({ messages, max_tokens: 50, max_completion_tokens: 70 }).max_tokens).toBe(70);
    expect(convert({ messages, max_tokens: 50 }).max_tokens).toBe(50);
    expect(convert({ messages, max_tokens: 0.5 }).max_tokens).toBe(64_000);
    expect(convert({ messages }, 'claude-3-haiku-20240307').max_tokens).toBe(4_096);
  });

  it('knows each model family output limit, under Bedrock and Vertex names too', () => {
    expect(maxOutputTokens('claude-3-5-haiku-20241022')).toBe(8_192);
    expect(maxOutputTokens('anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe(8_192);
    expect(maxOutputTokens('claude-opus-4-1@20250805')).toBe(32_000);
    expect(maxOutputTokens('claude-opus-4-20250514')).toBe(32_000);
    expect(maxOutputTokens('claude-sonnet-4-20250514')).toBe(64_000);
    expect(maxOutputTokens('my-finetune')).toBe(FALLBACK_MAX_OUTPUT);
  });

  it('turns reasoning_effort into a thinking budget below max_tokens, without sampling settings', () => {
    const body = convert({
      messages: [user('x')],
      reasoning_effort: 'medium',
      temperature: 0.2,
      top_p: 0.5,
      max_completion_tokens: 20_000,
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(body.max_tokens).toBe(20_000);
    expect(body.temperature).toBeUndefined();
    expect(body.top_p).toBeUndefined();
  });

  it('shrinks the budget to fit a small max_tokens, raising max_tokens only below the minimum', () => {
    const fits = convert({ messages: [user('x')], reasoning_effort: 'high', max_tokens: 5000 });
    expect(fits).toMatchObject({ thinking: { budget_tokens: 4999 }, max_tokens: 5000 });
    const tiny = convert({ messages: [user('x')], reasoning_effort: 'low', max_tokens: 100 });
    expect(tiny).toMatchObject({ thinking: { budget_tokens: 1024 }, max_tokens: 1124 });
    expect(convert({ messages: [user('x')], reasoning_effort: 'none' }).thinking).toBeUndefined();
  });

  it('leaves thinking out when the client forces a tool, which Anthropic refuses with thinking', () => {
    const body = convert({
      messages: [user('x')],
      reasoning_effort: 'high',
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: 'required',
    });
    expect(body.thinking).toBeUndefined();
    expect(body.tool_choice).toEqual({ type: 'any' });
  });

  it('takes an Anthropic-style thinking object as it is', () => {
    const body = convert({
      messages: [user('x')],
      thinking: { type: 'enabled', budget_tokens: 3000 },
      max_tokens: 10_000,
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(
      convert({ messages: [user('x')], thinking: { type: 'disabled' } }).thinking,
    ).toBeUndefined();
  });

  it('asks for JSON in the system prompt for json_object and json_schema', () => {
    const object = convert({ messages: [user('x')], response_format: { type: 'json_object' } });
    expect(JSON.stringify(object.system)).toContain('one valid JSON object');
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const withSchema = convert({
      messages: [{ role: 'system', content: 'Count.' }, user('x')],
      response_format: { type: 'json_schema', json_schema: { name: 'count', schema } },
    });
    const system = withSchema.system as { text: string }[];
    expect(system[0]?.text).toBe('Count.');
    expect(system[1]?.text).toContain(JSON.stringify(schema));
    expect(
      convert({ messages: [user('x')], response_format: { type: 'text' } }).system,
    ).toBeUndefined();
  });

  it('survives hostile bodies without throwing', () => {
    for (const messages of [undefined, 'hi', [null, 5, { role: 'user', content: 42 }]]) {
      expect(() => convert({ messages, tools: 'x', stop: 3, temperature: 'hot' })).not.toThrow();
    }
  });
});
