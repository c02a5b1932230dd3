/** Token counts an upstream reported, as billing needs them. */
export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the upstream's prompt cache, when it says. */
  cachedTokens?: number;
}

/**
 * Reads an OpenAI `usage` object; undefined when it is null or has no prompt count. Embeddings
 * report no completion tokens: 0.
 */
export function parseOpenAIUsage(usage: unknown): UpstreamUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const { prompt_tokens: promptTokens } = usage;
  if (!isCount(promptTokens)) return undefined;
  const completionTokens = isCount(usage.completion_tokens) ? usage.completion_tokens : 0;
  const details = usage.prompt_tokens_details;
  const cachedTokens = isRecord(details) ? details.cached_tokens : undefined;
  return isCount(cachedTokens)
    ? { promptTokens, completionTokens, cachedTokens }
    : { promptTokens, completionTokens };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
