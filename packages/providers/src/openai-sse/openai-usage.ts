/** Token counts an upstream reported, as billing needs them. */
export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the upstream's prompt cache, when it says (part of promptTokens). */
  cachedTokens?: number;
  /** Prompt tokens written to the upstream's prompt cache (Anthropic; part of promptTokens). */
  cacheWriteTokens?: number;
}

/** No answer reports more tokens than this; a larger count is an upstream's bug or lie. */
export const MAX_REPORTED_TOKENS = 100_000_000;

/**
 * Reads an OpenAI `usage` object; undefined when it is null, has no prompt count, or holds a
 * count that is not a whole number in range (the relay then counts the tokens itself and marks
 * the log). Embeddings report no completion tokens: 0.
 */
export function parseOpenAIUsage(usage: unknown): UpstreamUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completion } = usage;
  if (!isCount(promptTokens)) return undefined;
  if (completion !== undefined && completion !== null && !isCount(completion)) return undefined;
  const completionTokens = isCount(completion) ? completion : 0;
  const details = usage.prompt_tokens_details;
  const cachedTokens = isRecord(details) ? details.cached_tokens : undefined;
  return isCount(cachedTokens)
    ? { promptTokens, completionTokens, cachedTokens }
    : { promptTokens, completionTokens };
}

/**
 * A rerank answer's `usage`: OpenAI's counts where given (vLLM, SiliconFlow), else Jina's lone
 * `total_tokens`, which are all prompt tokens (a rerank writes nothing).
 */
export function parseRerankUsage(usage: unknown): UpstreamUsage | undefined {
  const counted = parseOpenAIUsage(usage);
  if (counted || !isRecord(usage) || usage.prompt_tokens != null) return counted;
  return isCount(usage.total_tokens)
    ? { promptTokens: usage.total_tokens, completionTokens: 0 }
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count an upstream may report: a whole number from 0 to MAX_REPORTED_TOKENS. */
export function isCount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_REPORTED_TOKENS
  );
}
