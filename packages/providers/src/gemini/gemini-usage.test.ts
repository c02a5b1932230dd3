import { describe, expect, it } from 'vitest';
import { geminiUsage, openAIUsageObject } from './gemini-usage.js';

describe('geminiUsage', () => {
  it('bills thoughts as completion and counts cached tokens inside the prompt', () => {
    const metadata = {
      promptTokenCount: 100,
      cachedContentTokenCount: 60,
      candidatesTokenCount: 10,
      thoughtsTokenCount: 30,
      toolUsePromptTokenCount: 5,
      totalTokenCount: 145,
    };
    const usage = geminiUsage(metadata);
    expect(usage).toEqual({ promptTokens: 105, completionTokens: 40, cachedTokens: 60 });
    expect(openAIUsageObject(usage!, metadata)).toEqual({
      prompt_tokens: 105,
      completion_tokens: 40,
      total_tokens: 145,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('takes a prompt-only count (a blocked prompt) as no completion', () => {
    expect(geminiUsage({ promptTokenCount: 9, totalTokenCount: 9 })).toEqual({
      promptTokens: 9,
      completionTokens: 0,
    });
  });

  it('refuses counts that cannot be true, so the relay counts instead', () => {
    const bad = [
      undefined,
      null,
      [],
      {},
      { promptTokenCount: -1 },
      { promptTokenCount: 1.5 },
      { promptTokenCount: '12' },
      { promptTokenCount: 1e12 },
      { promptTokenCount: 10, candidatesTokenCount: -3 },
      { promptTokenCount: 10, thoughtsTokenCount: 'many' },
      { promptTokenCount: 10, cachedContentTokenCount: 11 },
      { promptTokenCount: 100_000_000, toolUsePromptTokenCount: 1 },
      { promptTokenCount: 1, candidatesTokenCount: 60_000_000, thoughtsTokenCount: 60_000_000 },
    ];
    for (const metadata of bad) expect(geminiUsage(metadata)).toBeUndefined();
  });
});
