import { isRecord } from '../json-values.js';
import { isCount, type UpstreamUsage } from '../openai-sse/openai-usage.js';

/**
 * A Response's `usage` as billing reads it, with parseOpenAIUsage's rules: undefined when it is
 * null, has no input count, or holds a count that is not a whole number in range (the relay then
 * counts the tokens itself). Cached tokens are part of the input tokens, as in chat's usage.
 */
export function usageOfResponse(usage: unknown): UpstreamUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const { input_tokens: promptTokens, output_tokens: output } = usage;
  if (!isCount(promptTokens)) return undefined;
  if (output !== undefined && output !== null && !isCount(output)) return undefined;
  const completionTokens = isCount(output) ? output : 0;
  const details = usage.input_tokens_details;
  const cachedTokens = isRecord(details) ? details.cached_tokens : undefined;
  return isCount(cachedTokens)
    ? { promptTokens, completionTokens, cachedTokens }
    : { promptTokens, completionTokens };
}
