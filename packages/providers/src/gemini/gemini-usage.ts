import { MAX_REPORTED_TOKENS, type UpstreamUsage } from '../openai-sse/openai-usage.js';
import { isRecord } from '../json-values.js';

/**
 * Gemini's `usageMetadata` as billing needs it. The prompt is `promptTokenCount` (which already
 * holds the cached tokens) plus `toolUsePromptTokenCount` (tool results Gemini fed itself, billed
 * as input); the completion is the candidates plus the thoughts, both billed as output.
 * Undefined when the prompt count is missing or any count is not a whole number in range.
 */
export function geminiUsage(metadata: unknown): UpstreamUsage | undefined {
  if (!isRecord(metadata)) return undefined;
  const prompt = metadata.promptTokenCount;
  if (!isCount(prompt)) return undefined;
  const optional = [
    metadata.candidatesTokenCount,
    metadata.thoughtsTokenCount,
    metadata.cachedContentTokenCount,
    metadata.toolUsePromptTokenCount,
  ];
  if (optional.some((count) => count !== undefined && !isCount(count))) return undefined;
  const [candidates = 0, thoughts = 0, cached, toolUse = 0] = optional as (number | undefined)[];
  if (cached !== undefined && cached > prompt) return undefined;
  const promptTokens = prompt + toolUse;
  const completionTokens = candidates + thoughts;
  if (promptTokens > MAX_REPORTED_TOKENS || completionTokens > MAX_REPORTED_TOKENS) {
    return undefined;
  }
  return cached
    ? { promptTokens, completionTokens, cachedTokens: cached }
    : { promptTokens, completionTokens };
}

/** The OpenAI `usage` object a client reads, with the reasoning and cached parts detailed. */
export function openAIUsageObject(
  usage: UpstreamUsage,
  metadata: unknown,
): Record<string, unknown> {
  const thoughts =
    isRecord(metadata) && isCount(metadata.thoughtsTokenCount) ? metadata.thoughtsTokenCount : 0;
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

function isCount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= 0 &&
    value <= MAX_REPORTED_TOKENS
  );
}
