/** The two BPE encodings the gateway counts with (DESIGN §6). */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

// The gpt-4o family and everything OpenAI released after it use o200k_base; gpt-oss's
// o200k_harmony is o200k_base plus chat-format special tokens, so plain text counts the same.
const O200K_PREFIXES = [
  'gpt-4o',
  'chatgpt-4o',
  'gpt-4.1',
  'gpt-4.5',
  'gpt-5',
  'gpt-oss',
  'o1',
  'o3',
  'o4',
];

/**
 * The encoding to count `model`'s tokens with. gpt-4, gpt-3.5, the embedding models and any
 * model this gateway cannot know the tokenizer of (Claude, Gemini, local models …) get
 * cl100k_base: an approximation for the non-OpenAI ones, but a stable one.
 */
export function encodingFor(model: string): TokenEncoding {
  // Routers and gateways often prefix a vendor ("openai/gpt-4o"); the tokenizer is the model's.
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return O200K_PREFIXES.some((prefix) => name.startsWith(prefix)) ? 'o200k_base' : 'cl100k_base';
}
