import { describe, expect, it } from 'vitest';
import { chatRequestOfClaude, ClaudeRequestError } from './claude-request.js';
import {
  mediaRequest,
  PDF_BASE64,
  PNG_BASE64,
  plainRequest,
  thinkingRequest,
  toolRoundTripRequest,
  weatherTool,
} from './fixtures.js';
import type { JsonObject } from '../json-values.js';

const hello = (extra: JsonObject = {}): JsonObject => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('chatRequestOfClaude', () => {
  it('maps the system blocks, sampling settings, stops, user and stream, dropping top_k', () => {
    expect(chatRequestOfClaude(plainRequest)).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'You are a terse assistant.\n\nAnswer in French.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_tokens: 1024,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['\n\nHuman:', 'FIN'],
      user: 'user-7f3a',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('takes a system string, and asks no stream usage for a whole answer', () => {
    const chat = chatRequestOfClaude(hello({ system: 'Be brief.', stream: false }));
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
    expect(chat.stream).toBe(false);
    expect(chat).not.toHaveProperty('stream_options');
  });

  it('keeps temperature 0 and leaves out an empty system prompt', () => {
    const chat = chatRequestOfClaude(hello({ temperature: 0, system: '' }));
    expect(chat.temperature).toBe(0);
    expect(chat.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('turns images into image_url parts and documents into file and text parts', () => {
    const chat = chatRequestOfClaude(mediaRequest);
    expect(chat.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'image_url',
            image_url: { url: `data:image/png;base64,${PNG_BASE64}` },
          },
          {
            type: 'image_url',
            image_url: {
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            },
          },
          {
            type: 'file',
            file: {
              filename: 'document.pdf',
              file_data: `data:application/pdf;base64,${PDF_BASE64}`,
            },
          },
          { type: 'text', text: 'The grass is green.' },
          { type: 'text', text: 'What do these show?' },
        ],
      },
    ]);
  });

  it('turns a tool round trip into tool calls followed by their tool messages', () => {
    const chat = chatRequestOfClaude(toolRoundTripRequest);
    expect(chat.messages).toEqual([
      { role: 'user', content: 'What is the weather in Paris and in Lyon?' },
      {
        role: 'assistant',
        content: 'Let me check both cities.',
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
          },
          {
            id: 'toolu_01B7kZ3pQ8rT2vW5xY9aC4dE',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Lyon, France"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 °C\nlight rain' },
      { role: 'tool', tool_call_id: 'toolu_01B7kZ3pQ8rT2vW5xY9aC4dE', content: 'Station offline' },
      { role: 'user', content: [{ type: 'text', text: 'Answer in one line.' }] },
    ]);
    // The web search server tool is Anthropic's alone; cache_control goes nowhere.
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: weatherTool.input_schema,
        },
      },
    ]);
    expect(chat.tool_choice).toBe('auto');
    expect(chat.parallel_tool_calls).toBe(false);
    expect(JSON.stringify(chat)).not.toContain('cache_control');
  });

  it('gives an assistant turn of tool calls alone null content, and drops an emptied user turn', () => {
    const chat = chatRequestOfClaude(
      hello({
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] },
        ],
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '' },
    ]);
  });

  it('maps each tool_choice', () => {
    const choices: [JsonObject, unknown][] = [
      [{ type: 'auto' }, 'auto'],
      [{ type: 'any' }, 'required'],
      [{ type: 'none' }, 'none'],
      [
        { type: 'tool', name: 'get_weather' },
        { type: 'function', function: { name: 'get_weather' } },
      ],
    ];
    for (const [choice, expected] of choices) {
      const chat = chatRequestOfClaude(hello({ tools: [weatherTool], tool_choice: choice }));
      expect(chat.tool_choice).toEqual(expected);
      expect(chat).not.toHaveProperty('parallel_tool_calls');
    }
  });

  it('sends no tool settings when only server tools were offered', () => {
    const chat = chatRequestOfClaude(
      hello({
        tools: [{ type: 'bash_20250124', name: 'bash' }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
      }),
    );
    expect(chat).not.toHaveProperty('tools');
    expect(chat).not.toHaveProperty('tool_choice');
    expect(chat).not.toHaveProperty('parallel_tool_calls');
  });

  it('turns a thinking budget into a reasoning effort', () => {
    expect(chatRequestOfClaude(thinkingRequest).reasoning_effort).toBe('medium');
    const effort = (budget: number) =>
      chatRequestOfClaude(hello({ thinking: { type: 'enabled', budget_tokens: budget } }))
        .reasoning_effort;
    expect([1024, 4095, 4096, 16_383, 16_384, 64_000].map(effort)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
    expect(chatRequestOfClaude(hello({ thinking: { type: 'disabled' } }))).not.toHaveProperty(
      'reasoning_effort',
    );
  });

  it('keeps an assistant prefill string and drops thinking blocks from history', () => {
    const chat = chatRequestOfClaude(
      hello({
        messages: [
          { role: 'user', content: 'Name a colour.' },
          {
            role: 'assistant',
            content: [
              { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
              { type: 'text', text: 'Blue' },
              { type: 'text', text: ', or red.' },
            ],
          },
          { role: 'user', content: 'Another?' },
          { role: 'assistant', content: 'Green' },
        ],
      }),
    );
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Name a colour.' },
      { role: 'assistant', content: 'Blue, or red.' },
      { role: 'user', content: 'Another?' },
      { role: 'assistant', content: 'Green' },
    ]);
  });

  it('refuses bodies it cannot read, naming the field', () => {
    const cases: [JsonObject, string][] = [
      [{ ...hello(), model: undefined }, 'model:'],
      [hello({ messages: 'hi' }), 'messages:'],
      [hello({ messages: [] }), 'messages:'],
      [hello({ messages: [null] }), 'messages[0]:'],
      [hello({ messages: [{ role: 'system', content: 'x' }] }), 'messages[0].role:'],
      [hello({ messages: [{ role: 'user', content: 42 }] }), 'messages[0].content:'],
      [
        hello({ messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
        'messages[0].content[0]:',
      ],
      [
        hello({ messages: [{ role: 'user', content: [{ type: 'text', text: 7 }] }] }),
        'messages[0].content[0].text:',
      ],
      [
        hello({ messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] }),
        'messages[0].content[0].tool_use_id:',
      ],
      [
        hello({
          messages: [
            {
              role: 'user',
              content: [{ type: 'image', source: { type: 'file', file_id: 'file_011' } }],
            },
          ],
        }),
        'messages[0].content[0].source.type:',
      ],
      [
        hello({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png;x,', data: '' } },
              ],
            },
          ],
        }),
        'messages[0].content[0].source.media_type:',
      ],
      [
        hello({
          messages: [
            {
              role: 'user',
              content: [{ type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } }],
            },
          ],
        }),
        'messages[0].content[0].source:',
      ],
      [
        hello({
          messages: [
            { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: '{}' }] },
          ],
        }),
        'messages[0].content[0].input:',
      ],
      [{ ...hello(), max_tokens: undefined }, 'max_tokens:'],
      [hello({ max_tokens: 0 }), 'max_tokens:'],
      [hello({ max_tokens: -5 }), 'max_tokens:'],
      [hello({ max_tokens: 10.5 }), 'max_tokens:'],
      [hello({ max_tokens: Number.NaN }), 'max_tokens:'],
      [hello({ max_tokens: Number.POSITIVE_INFINITY }), 'max_tokens:'],
      [hello({ max_tokens: 1e20 }), 'max_tokens:'],
      [hello({ max_tokens: '100' }), 'max_tokens:'],
      [hello({ temperature: 1.5 }), 'temperature:'],
      [hello({ top_p: 'high' }), 'top_p:'],
      [hello({ stop_sequences: 'END' }), 'stop_sequences:'],
      [hello({ stop_sequences: ['END', 3] }), 'stop_sequences[1]:'],
      [hello({ metadata: { user_id: 12 } }), 'metadata.user_id:'],
      [hello({ stream: 'yes' }), 'stream:'],
      [hello({ system: [{ type: 'image' }] }), 'system[0]:'],
      [hello({ system: 5 }), 'system:'],
      [hello({ tools: {} }), 'tools:'],
      [hello({ tools: [{ description: 'no name', input_schema: {} }] }), 'tools[0].name:'],
      [hello({ tools: [{ name: 'x' }] }), 'tools[0].input_schema:'],
      [hello({ tools: [weatherTool], tool_choice: { type: 'sometimes' } }), 'tool_choice.type:'],
      [hello({ tools: [weatherTool], tool_choice: { type: 'tool' } }), 'tool_choice.name:'],
      [hello({ thinking: { type: 'enabled', budget_tokens: -1 } }), 'thinking.budget_tokens:'],
      [hello({ thinking: { type: 'enabled' } }), 'thinking.budget_tokens:'],
      [hello({ thinking: 'on' }), 'thinking:'],
    ];
    for (const [body, field] of cases) {
      expect(() => chatRequestOfClaude(body), field).toThrow(ClaudeRequestError);
      expect(() => chatRequestOfClaude(body), field).toThrow(new RegExp(`^${escape(field)}`));
    }
  });

  it('takes null as absent for optional fields', () => {
    const chat = chatRequestOfClaude(
      hello({ temperature: null, stop_sequences: null, metadata: null, stream: null }),
    );
    expect(chat).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 100,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
