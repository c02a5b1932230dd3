import { describe, expect, it } from 'vitest';
import { usageFromJson } from './usage-json.js';

describe('usageFromJson', () => {
  it('reads chat usage, with cached prompt tokens', () => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      choices: [{ message: { content: 'usage: {"prompt_tokens": 999} is just text' } }],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 5,
        total_tokens: 17,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    });
    expect(usageFromJson(body)).toEqual({ promptTokens: 12, completionTokens: 5, cachedTokens: 4 });
  });

  it('reads embeddings usage after a large data array', () => {
    const body = JSON.stringify({
      data: Array.from({ length: 50 }, (_, index) => ({ index, embedding: Array(64).fill(0.125) })),
      usage: { prompt_tokens: 300, total_tokens: 300 },
    });
    expect(usageFromJson(body)).toEqual({ promptTokens: 300, completionTokens: 0 });
  });

  it('gives undefined when there is no usage or it is null', () => {
    expect(usageFromJson('{"choices":[]}')).toBeUndefined();
    expect(usageFromJson('{"usage":null}')).toBeUndefined();
    expect(usageFromJson('not json "usage": {')).toBeUndefined();
  });

  it.each([
    ['a negative count', '{"prompt_tokens":10,"completion_tokens":-500}'],
    ['a fraction', '{"prompt_tokens":10.5,"completion_tokens":2}'],
    ['a count past any answer', '{"prompt_tokens":10,"completion_tokens":1e300}'],
    ['2^53', '{"prompt_tokens":9007199254740992,"completion_tokens":1}'],
    ['a string', '{"prompt_tokens":10,"completion_tokens":"5"}'],
  ])('does not trust %s: the relay counts the tokens itself', (_name, usage) => {
    expect(usageFromJson(`{"choices":[],"usage":${usage}}`)).toBeUndefined();
  });
});
