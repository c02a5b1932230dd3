import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_TOKENS } from '../openai-sse/openai-usage.js';
import { anthropicUsage, openAIUsageObject } from './anthropic-usage.js';

describe('Anthropic usage', () => {
  it('counts cache reads and writes in the prompt and tells them apart', () => {
    const usage = anthropicUsage({
      input_tokens: 10,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 50,
      output_tokens: 7,
    });
    expect(usage).toEqual({
      promptTokens: 260,
      completionTokens: 7,
      cachedTokens: 200,
      cacheWriteTokens: 50,
    });
    expect(openAIUsageObject(usage!)).toEqual({
      prompt_tokens: 260,
      completion_tokens: 7,
      total_tokens: 267,
      prompt_tokens_details: { cached_tokens: 200 },
    });
  });

  it('takes null cache counts as none', () => {
    const usage = { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: null };
    expect(anthropicUsage(usage)).toEqual({ promptTokens: 3, completionTokens: 4 });
    expect(anthropicUsage({ input_tokens: 3, output_tokens: 4 })).toEqual({
      promptTokens: 3,
      completionTokens: 4,
    });
  });

  it.each([
    ['negative', { input_tokens: -1, output_tokens: 1 }],
    ['fractional', { input_tokens: 1.5, output_tokens: 1 }],
    ['huge', { input_tokens: 1, output_tokens: 1e12 }],
    ['a string', { input_tokens: '5', output_tokens: 1 }],
    ['a huge sum', { input_tokens: MAX_REPORTED_TOKENS, cache_read_input_tokens: 1 }],
    ['a negative cache count', { input_tokens: 1, cache_creation_input_tokens: -3 }],
    ['missing input', { output_tokens: 4 }],
    ['not an object', 'lots'],
  ])('refuses %s counts, so the relay counts itself', (_, usage) => {
    expect(anthropicUsage(usage)).toBeUndefined();
  });
});
