import { describe, expect, it } from 'vitest';
import { countCompletionPrompt, countEmbeddingInput, type PromptInput } from './input-tokens.js';
import { encoderFor } from './tokenizer.js';

const cl100k = (text: string) => encoderFor('cl100k_base').encode(text).length;

describe('countCompletionPrompt', () => {
  it('counts a string prompt with no chat overhead', () => {
    expect(countCompletionPrompt('tiktoken is great!', 'gpt-3.5-turbo-instruct')).toBe(6);
  });

  it('sums an array of prompts', () => {
    const prompts = ['Say this is a test', 'Translate to French: cheese'];
    expect(countCompletionPrompt(prompts, 'gpt-3.5-turbo-instruct')).toBe(
      cl100k(prompts[0] ?? '') + cl100k(prompts[1] ?? ''),
    );
  });

  it('counts token arrays by their length', () => {
    expect(countCompletionPrompt([1820, 4062, 13], 'davinci-002')).toBe(3);
    expect(countCompletionPrompt([[1820, 4062], [13], []], 'davinci-002')).toBe(3);
  });

  it('counts special-token strings as text instead of throwing', () => {
    expect(countCompletionPrompt('<|endoftext|>', 'gpt-3.5-turbo-instruct')).toBe(7);
  });
});

describe('countEmbeddingInput', () => {
  it.each<[string, PromptInput, number]>([
    ['a string', 'tiktoken is great!', 6],
    ['strings', ['tiktoken is great!', '2 + 2 = 4'], 13],
    ['token ids', [83, 8251, 2488], 3],
    ['token id arrays', [[83, 8251], [2488, 382, 2212], [0]], 6],
    ['nothing', [], 0],
    ['an empty string', '', 0],
  ])('counts %s', (_name, input, tokens) => {
    expect(countEmbeddingInput(input, 'text-embedding-3-small')).toBe(tokens);
  });

  it('uses o200k for models that read it', () => {
    expect(countEmbeddingInput('お誕生日おめでとう', 'gpt-4o')).toBe(8);
    expect(countEmbeddingInput('お誕生日おめでとう', 'text-embedding-3-large')).toBe(9);
  });

  it('ignores values of the wrong type instead of throwing', () => {
    const garbage = [null, { a: 1 }, true, 'ok'] as unknown as PromptInput;
    expect(countEmbeddingInput(garbage, 'text-embedding-3-small')).toBe(cl100k('ok'));
    expect(countEmbeddingInput(null as unknown as PromptInput, 'text-embedding-3-small')).toBe(0);
  });
});
