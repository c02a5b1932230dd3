import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatPromptRequest } from './chat-request.js';
import { countChatPrompt } from './chat-prompt-tokens.js';
import { encoderFor } from './tokenizer.js';

// The openai-cookbook "How to count tokens with tiktoken" example conversation.
const cookbookMessages: ChatMessage[] = [
  {
    role: 'system',
    content:
      'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  {
    role: 'system',
    name: 'example_user',
    content: 'New synergies will help drive top-line growth.',
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: 'Things working well together will increase revenue.',
  },
  {
    role: 'system',
    name: 'example_user',
    content:
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: 'user',
    content:
      "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

const o200k = (text: string) => encoderFor('o200k_base').encode(text).length;
const cl100k = (text: string) => encoderFor('cl100k_base').encode(text).length;

describe('countChatPrompt', () => {
  // The counts the cookbook shows, matching the OpenAI API's usage.prompt_tokens.
  it.each([
    ['gpt-3.5-turbo', 129],
    ['gpt-4-0613', 129],
    ['gpt-4', 129],
    ['gpt-4o', 124],
    ['gpt-4o-mini', 124],
    ['gpt-3.5-turbo-0301', 127],
  ])('counts the cookbook conversation for %s as %i tokens', (model, tokens) => {
    expect(countChatPrompt({ messages: cookbookMessages }, model)).toBe(tokens);
  });

  it('adds 3 per message, 1 per name and 3 for the reply to the text tokens (o200k)', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You answer in one sentence.' },
      { role: 'user', name: 'alice', content: 'Why is the sky blue?' },
      { role: 'assistant', content: 'Rayleigh scattering favours short wavelengths.' },
      { role: 'user', name: 'bob', content: '¿Y el atardecer? 夕焼けは？' },
    ];
    const text = messages.reduce(
      (sum, m) => sum + o200k(m.role) + o200k(String(m.content)) + (m.name ? o200k(m.name) : 0),
      0,
    );
    expect(countChatPrompt({ messages }, 'gpt-4o')).toBe(text + 4 * 3 + 2 * 1 + 3);
    expect(countChatPrompt({ messages }, 'o3-mini')).toBe(text + 4 * 3 + 2 * 1 + 3);
  });

  it('counts text parts like string content, and an empty conversation as the reply priming', () => {
    const parts: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'First part.' },
        { type: 'text', text: ' Second part.' },
      ],
    };
    expect(countChatPrompt({ messages: [parts] }, 'gpt-4')).toBe(
      3 + cl100k('user') + cl100k('First part.') + cl100k(' Second part.') + 3,
    );
    expect(countChatPrompt({ messages: [] }, 'gpt-4o')).toBe(3);
  });

  it('bills image parts by detail: low 85, high or auto 765 when the size is unknown', () => {
    const url = 'https://example.com/cat.jpg';
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image_url', image_url: { url, detail: 'low' } },
          { type: 'image_url', image_url: { url, detail: 'high' } },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ];
    expect(countChatPrompt({ messages }, 'gpt-4o')).toBe(
      3 + o200k('user') + o200k('What is in these images?') + 85 + 765 + 765 + 3,
    );
  });

  it('sizes a base64 image from its header: a 512 × 512 PNG is one tile (255)', () => {
    const png = Buffer.alloc(32);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(512, 16);
    png.writeUInt32BE(512, 20);
    const url = `data:image/png;base64,${png.toString('base64')}${'A'.repeat(100_000)}`;
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'image_url', image_url: { url, detail: 'auto' } }] },
    ];
    expect(countChatPrompt({ messages }, 'gpt-4o')).toBe(3 + o200k('user') + 255 + 3);
  });

  it('counts assistant tool calls (name and arguments) and the tool result', () => {
    const args = '{"location":"Paris, France","unit":"celsius"}';
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C, clear' },
    ];
    const user = 3 + cl100k('user') + cl100k('Weather in Paris?');
    const calls = cl100k('get_weather') + cl100k(args) + cl100k('get_time') + cl100k('{}');
    const assistant = 3 + cl100k('assistant') + calls;
    const tool = 3 + cl100k('tool') + cl100k('call_1') + cl100k('18°C, clear');
    const expected = user + assistant + tool + 3;
    expect(countChatPrompt({ messages }, 'gpt-4-turbo')).toBe(expected);
  });

  it('counts a legacy function_call like a tool call', () => {
    const messages: ChatMessage[] = [
      { role: 'assistant', function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
    ];
    expect(countChatPrompt({ messages }, 'gpt-3.5-turbo')).toBe(
      3 + cl100k('assistant') + cl100k('lookup') + cl100k('{"q":"x"}') + 3,
    );
  });

  it('counts special-token strings in messages as text instead of throwing', () => {
    const content = 'Ignore this: <|endoftext|><|im_start|>system';
    const messages: ChatMessage[] = [{ role: 'user', content }];
    expect(countChatPrompt({ messages }, 'gpt-4o')).toBe(
      3 + o200k('user') + encoderFor('o200k_base').encode(content, [], []).length + 3,
    );
  });

  it('skips what a client sent in the wrong shape instead of throwing', () => {
    const garbage = {
      messages: [
        null,
        'hello',
        { role: 'user', content: 42, name: null, tool_calls: 'x', function_call: [] },
        { role: 'user', content: [null, 7, { type: 'image_url' }, { type: 'input_audio' }] },
      ],
      tools: [null, { type: 'function', function: 'nope' }],
      functions: 'nope',
    } as unknown as ChatPromptRequest;
    expect(() => countChatPrompt(garbage, 'gpt-4o')).not.toThrow();
    expect(countChatPrompt({ messages: 'nope' } as unknown as ChatPromptRequest, 'gpt-4')).toBe(3);
  });
});
