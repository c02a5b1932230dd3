import { tokenizerFor, type Tokenizer } from './tokenizer.js';
import { list } from './untrusted-json.js';

/**
 * A legacy completions `prompt` or an embeddings `input`: text, texts, or text the client
 * already tokenized (one array of token ids, or one per input).
 */
export type PromptInput =
  string | readonly string[] | readonly number[] | readonly (readonly number[])[];

/** Prompt tokens of a legacy completions request's `prompt`; no chat overhead applies. */
export function countCompletionPrompt(prompt: PromptInput, model: string): number {
  return countInput(prompt, tokenizerFor(model));
}

/** Tokens of an embeddings request's `input`, summed over its inputs. */
export function countEmbeddingInput(input: PromptInput, model: string): number {
  return countInput(input, tokenizerFor(model));
}

function countInput(input: unknown, tokenizer: Tokenizer): number {
  if (typeof input === 'string') return tokenizer.count(input);
  let total = 0;
  for (const item of list(input)) {
    if (typeof item === 'string') total += tokenizer.count(item);
    // A token id is one token; an array of them is as many as it holds.
    else if (typeof item === 'number') total += 1;
    else if (Array.isArray(item)) total += item.length;
  }
  return total;
}
