import { describe, expect, it } from 'vitest';
import { rerankUsageFromJson, usageFromJson } from './usage-json.js';

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

describe('rerankUsageFromJson', () => {
  const results = [{ index: 1, relevance_score: 0.9, document: { text: 'a' } }];

  it("reads Jina's lone total_tokens as prompt tokens", () => {
    const body = JSON.stringify({
      model: 'jina-reranker-v2',
      usage: { total_tokens: 815 },
      results,
    });
    expect(rerankUsageFromJson(body)).toEqual({ promptTokens: 815, completionTokens: 0 });
  });

  it('prefers prompt_tokens where the server gives them', () => {
    const body = JSON.stringify({ results, usage: { prompt_tokens: 40, total_tokens: 41 } });
    expect(rerankUsageFromJson(body)).toEqual({ promptTokens: 40, completionTokens: 0 });
  });

  it("gives undefined for Cohere's search units, a bad count, or a broken answer", () => {
    const cohere = { results, meta: { billed_units: { search_units: 1 } } };
    expect(rerankUsageFromJson(JSON.stringify(cohere))).toBeUndefined();
    expect(rerankUsageFromJson('{"usage":{"total_tokens":-5}}')).toBeUndefined();
    expect(rerankUsageFromJson('{"usage":{"prompt_tokens":"9","total_tokens":9}}')).toBeUndefined();
    expect(rerankUsageFromJson('{"usage":')).toBeUndefined();
  });

  it("does not take a usage echoed inside a document for the answer's own", () => {
    const echoed = [
      { index: 0, relevance_score: 1, document: { text: 'x', usage: { total_tokens: 1 } } },
    ];
    const body = JSON.stringify({ usage: { total_tokens: 5000 }, results: echoed });
    expect(rerankUsageFromJson(body)).toEqual({ promptTokens: 5000, completionTokens: 0 });
  });
});
