import { MAX_REPORTED_TOKENS, type UpstreamUsage } from '../openai-sse/openai-usage.js';
import { isRecord, type JsonObject } from '../json-values.js';

/**
 * Anthropic's `usage` as billing needs it. Anthropic's `input_tokens` leaves out the prompt
 * tokens read from or written to its cache; OpenAI's prompt count holds them, so the prompt is
 * the sum of the three and the cached parts are told apart for their own prices. Undefined when
 * `input_tokens` is missing or any count is not a whole number in range.
 */
export function anthropicUsage(usage: unknown): UpstreamUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const { input_tokens: input, output_tokens: output } = usage;
  const read = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  if (!isCount(input) || !isCount(read) || !isCount(written)) return undefined;
  if (output !== undefined && !isCount(output)) return undefined;
  const promptTokens = input + read + written;
  if (promptTokens > MAX_REPORTED_TOKENS) return undefined;
  const result: UpstreamUsage = { promptTokens, completionTokens: output ?? 0 };
  if (read > 0) result.cachedTokens = read;
  if (written > 0) result.cacheWriteTokens = written;
  return result;
}

/** The OpenAI `usage` object a client reads. */
export function openAIUsageObject(usage: UpstreamUsage): JsonObject {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
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
