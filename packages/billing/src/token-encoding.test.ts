import { describe, expect, it } from 'vitest';
import { encodingFor } from './token-encoding.js';

describe('encodingFor', () => {
  it.each([
    'gpt-4o',
    'gpt-4o-mini-2024-07-18',
    'chatgpt-4o-latest',
    'gpt-4.1-nano',
    'gpt-4.5-preview',
    'gpt-5',
    'gpt-5.1-codex',
    'o1',
    'o1-mini',
    'o3-mini-2025-01-31',
    'o4-mini',
    'gpt-oss-120b',
    'GPT-4O',
    'openai/gpt-4o',
  ])('%s counts with o200k_base', (model) => {
    expect(encodingFor(model)).toBe('o200k_base');
  });

  it.each([
    'gpt-4',
    'gpt-4-0613',
    'gpt-4-turbo',
    'gpt-4-1106-preview',
    'gpt-3.5-turbo',
    'gpt-35-turbo',
    'text-embedding-3-small',
    'text-embedding-ada-002',
    'claude-3-5-sonnet',
    'gemini-1.5-pro',
    'llama3:8b',
    '',
  ])('%s counts with cl100k_base', (model) => {
    expect(encodingFor(model)).toBe('cl100k_base');
  });
});
