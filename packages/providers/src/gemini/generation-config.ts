import { toGeminiSchema } from './gemini-schema.js';
import { isRecord, numberOf, stringOf, type JsonObject } from '../json-values.js';

/**
 * Thinking budgets for OpenAI's `reasoning_effort`, as Google's own OpenAI-compatible endpoint
 * maps them (low 1K, medium 8K, high 24K tokens; none turns thinking off). A budget works on
 * Gemini 2.5 and, for compatibility, on Gemini 3.
 */
const THINKING_BUDGETS: Record<string, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

/** The sampling and output settings of an OpenAI chat request, in Gemini's names. */
export function toGenerationConfig(json: JsonObject): JsonObject | undefined {
  const config: JsonObject = {};
  const numeric: [string, unknown][] = [
    ['temperature', json.temperature],
    ['topP', json.top_p],
    ['topK', json.top_k],
    ['maxOutputTokens', json.max_completion_tokens ?? json.max_tokens],
    ['candidateCount', json.n],
    ['seed', json.seed],
    ['presencePenalty', json.presence_penalty],
    ['frequencyPenalty', json.frequency_penalty],
  ];
  for (const [name, value] of numeric) {
    const number = numberOf(value);
    if (number !== undefined) config[name] = number;
  }
  const stop = stopSequences(json.stop);
  if (stop) config.stopSequences = stop;
  Object.assign(config, responseFormat(json.response_format));
  const effort = stringOf(json.reasoning_effort);
  const budget = effort === undefined ? undefined : THINKING_BUDGETS[effort];
  if (budget !== undefined) {
    config.thinkingConfig =
      budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return stop === '' ? undefined : [stop];
  if (!Array.isArray(stop)) return undefined;
  const sequences = stop.filter((s): s is string => typeof s === 'string' && s !== '');
  return sequences.length > 0 ? sequences : undefined;
}

/** json_object → JSON output; json_schema → JSON output shaped by the (cleaned) schema. */
function responseFormat(format: unknown): JsonObject {
  if (!isRecord(format)) return {};
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  if (format.type !== 'json_schema') return {};
  const spec = isRecord(format.json_schema) ? format.json_schema : {};
  const schema = toGeminiSchema(spec.schema);
  return schema
    ? { responseMimeType: 'application/json', responseSchema: schema }
    : { responseMimeType: 'application/json' };
}
