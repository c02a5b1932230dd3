import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTool } from './chat-request.js';
import { countChatPrompt } from './chat-prompt-tokens.js';
import { countToolDefinitions } from './tool-tokens.js';
import { encoderFor, tokenizerFor } from './tokenizer.js';

// The openai-cookbook tools example ("Counting tokens for chat completions with tool calls").
const weatherTool: ChatTool = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
        unit: {
          type: 'string',
          description: 'The unit of temperature to return',
          enum: ['celsius', 'fahrenheit'],
        },
      },
      required: ['location'],
    },
  },
};

const weatherMessages: ChatMessage[] = [
  {
    role: 'system',
    content: 'You are a helpful assistant that can answer to questions about the weather.',
  },
  { role: 'user', content: "What's the weather like in San Francisco?" },
];

const cl100k = (text: string) => encoderFor('cl100k_base').encode(text).length;

describe('tool definitions', () => {
  // The counts the cookbook shows, matching the OpenAI API's usage.prompt_tokens.
  it.each([
    ['gpt-3.5-turbo', 105],
    ['gpt-4', 105],
    ['gpt-4o', 101],
    ['gpt-4o-mini', 101],
  ])('the cookbook weather request on %s is %i prompt tokens', (model, tokens) => {
    expect(countChatPrompt({ messages: weatherMessages, tools: [weatherTool] }, model)).toBe(
      tokens,
    );
  });

  it('counts the deprecated functions parameter like tools', () => {
    const tokenizer = tokenizerFor('gpt-4o');
    const definition = weatherTool.function;
    expect(definition).toBeDefined();
    expect(countToolDefinitions({ functions: definition ? [definition] : [] }, tokenizer)).toBe(
      countToolDefinitions({ tools: [weatherTool] }, tokenizer),
    );
  });

  it('applies the cookbook arithmetic per function and property (cl100k)', () => {
    const tools: ChatTool[] = [
      { type: 'function', function: { name: 'ping', description: 'Check the service.' } },
      {
        type: 'function',
        function: {
          name: 'search',
          parameters: {
            type: 'object',
            properties: {
              query: { type: 'string', description: 'What to look for.' },
              limit: { type: 'integer' },
            },
          },
        },
      },
    ];
    const ping = 10 + cl100k('ping:Check the service');
    const query = 3 + cl100k('query:string:What to look for');
    const limit = 3 + cl100k('limit:integer:');
    const search = 10 + cl100k('search:') + 3 + query + limit;
    const expected = ping + search + 12;
    expect(countToolDefinitions({ tools }, tokenizerFor('gpt-4'))).toBe(expected);
  });

  it('counts nested schemas, which the cookbook formula would bill as free', () => {
    const flat: ChatTool = {
      type: 'function',
      function: {
        name: 'tag',
        parameters: { type: 'object', properties: { tags: { type: 'array' } } },
      },
    };
    const items = { items: { type: 'object', properties: { label: { type: 'string' } } } };
    const nested: ChatTool = {
      type: 'function',
      function: {
        name: 'tag',
        parameters: { type: 'object', properties: { tags: { type: 'array', ...items } } },
      },
    };
    const tokenizer = tokenizerFor('gpt-4');
    expect(countToolDefinitions({ tools: [nested] }, tokenizer)).toBe(
      countToolDefinitions({ tools: [flat] }, tokenizer) + cl100k(JSON.stringify(items)),
    );
  });

  it('counts a non-function tool as its JSON', () => {
    const custom = { type: 'custom', custom: { name: 'sql', description: 'Run a query' } };
    expect(countToolDefinitions({ tools: [custom as ChatTool] }, tokenizerFor('gpt-5'))).toBe(
      encoderFor('o200k_base').encode(JSON.stringify(custom)).length,
    );
  });

  it('counts nothing without tools', () => {
    expect(countToolDefinitions({}, tokenizerFor('gpt-4o'))).toBe(0);
    expect(countToolDefinitions({ tools: [], functions: null }, tokenizerFor('gpt-4o'))).toBe(0);
  });
});
