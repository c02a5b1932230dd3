import { isRecord, numberOf, type JsonObject } from '../json-values.js';
import { jsonSchemaOfGemini } from './gemini-client-schema.js';
import { absent, invalid, nativeOnly, quoted, requiredString } from './gemini-request-error.js';

/** The proxy's own bound for output limits (DESIGN §5a): larger is a mistake or an attack. */
const MAX_OUTPUT_TOKENS = 10_000_000;

/** Seeds are 64-bit at OpenAI; JSON numbers stay exact to 2^53. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Gemini's thinking levels, as OpenAI's reasoning efforts of the same names. */
const THINKING_LEVELS = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * `generationConfig` as OpenAI chat settings: temperature, top_p, max_tokens, stop, seed, the
 * penalties, response_format and reasoning_effort. topK, logprobs, media resolution and the like
 * have no OpenAI counterpart every upstream takes, and are left out. More than one candidate,
 * output other than text, or enum output only a Gemini upstream serves (nativeOnly).
 */
export function generationSettings(config: unknown): JsonObject {
  if (absent(config)) return {};
  if (!isRecord(config)) invalid('generationConfig', 'must be an object');
  const field = (name: string) => `generationConfig.${name}`;
  const chat: JsonObject = {};
  const set = (name: string, value: number | undefined) => {
    if (value !== undefined) chat[name] = value;
  };
  set('temperature', inRange(config.temperature, field('temperature'), 0, 2));
  set('top_p', inRange(config.topP, field('topP'), 0, 1));
  set('presence_penalty', inRange(config.presencePenalty, field('presencePenalty'), -2, 2));
  set('frequency_penalty', inRange(config.frequencyPenalty, field('frequencyPenalty'), -2, 2));
  set(
    'max_tokens',
    wholeNumber(config.maxOutputTokens, field('maxOutputTokens'), 1, MAX_OUTPUT_TOKENS),
  );
  set('seed', wholeNumber(config.seed, field('seed'), -MAX_SEED, MAX_SEED));
  const candidates = wholeNumber(config.candidateCount, field('candidateCount'), 1, 8);
  if (candidates !== undefined && candidates > 1) {
    nativeOnly(field('candidateCount'), 'more than 1 candidate only on Gemini upstreams');
  }
  const stop = stopSequences(config.stopSequences);
  if (stop.length > 0) chat.stop = stop;
  textOutputOnly(config.responseModalities);
  const format = responseFormat(config);
  if (format !== undefined) chat.response_format = format;
  const effort = reasoningEffort(config.thinkingConfig);
  if (effort !== undefined) chat.reasoning_effort = effort;
  return chat;
}

function inRange(value: unknown, field: string, min: number, max: number): number | undefined {
  if (absent(value)) return undefined;
  const n = numberOf(value);
  if (n === undefined || n < min || n > max) {
    invalid(field, `must be a number from ${min} to ${max}`);
  }
  return n;
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (absent(value)) return undefined;
  const n = numberOf(value);
  if (n === undefined || !Number.isSafeInteger(n) || n < min || n > max) {
    invalid(field, `must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function stopSequences(value: unknown): string[] {
  const field = 'generationConfig.stopSequences';
  if (absent(value)) return [];
  if (!Array.isArray(value)) invalid(field, 'must be an array of strings');
  return value.map((stop, i) => requiredString(stop, `${field}[${i}]`));
}

/** Images and audio cannot come back through a chat completion. */
function textOutputOnly(modalities: unknown): void {
  const field = 'generationConfig.responseModalities';
  if (absent(modalities)) return;
  if (!Array.isArray(modalities)) invalid(field, 'must be an array');
  for (const [i, modality] of modalities.entries()) {
    if (typeof modality !== 'string') invalid(`${field}[${i}]`, 'must be a modality name');
    if (modality.toUpperCase() !== 'TEXT') {
      nativeOnly(`${field}[${i}]`, `${quoted(modality)} output only on Gemini upstreams`);
    }
  }
}

/**
 * JSON output: with a schema (responseSchema in Gemini's Schema, or responseJsonSchema as JSON
 * Schema) as json_schema, without one as json_object. A schema implies JSON output.
 */
function responseFormat(config: JsonObject): JsonObject | undefined {
  const mimeField = 'generationConfig.responseMimeType';
  const mimeType = absent(config.responseMimeType)
    ? undefined
    : requiredString(config.responseMimeType, mimeField).toLowerCase();
  let schema: JsonObject | undefined;
  if (!absent(config.responseJsonSchema)) {
    if (!isRecord(config.responseJsonSchema)) {
      invalid('generationConfig.responseJsonSchema', 'must be a JSON Schema object');
    }
    schema = config.responseJsonSchema;
  } else if (!absent(config.responseSchema)) {
    schema = jsonSchemaOfGemini(config.responseSchema, 'generationConfig.responseSchema');
  }
  if (mimeType !== undefined && mimeType !== 'application/json' && mimeType !== 'text/plain') {
    nativeOnly(mimeField, `${quoted(mimeType)} output only on Gemini upstreams`);
  }
  if (schema !== undefined) {
    if (mimeType === 'text/plain') invalid(mimeField, 'must be "application/json" with a schema');
    return { type: 'json_schema', json_schema: { name: 'response', schema } };
  }
  return mimeType === 'application/json' ? { type: 'json_object' } : undefined;
}

/**
 * A thinking budget or level as OpenAI's reasoning effort. Levels keep their names; budgets use
 * the Claude format's thresholds (under 4K tokens low, under 16K medium, else high). A budget of
 * 0 (thinking off) or -1 (the model decides) asks no effort: the upstream's default applies.
 */
function reasoningEffort(thinking: unknown): string | undefined {
  const field = 'generationConfig.thinkingConfig';
  if (absent(thinking)) return undefined;
  if (!isRecord(thinking)) invalid(field, 'must be an object');
  const { thinkingBudget: budget, thinkingLevel: level } = thinking;
  if (!absent(budget) && !absent(level)) {
    invalid(field, 'takes thinkingBudget or thinkingLevel, not both');
  }
  if (!absent(level)) {
    const name = typeof level === 'string' ? level.toLowerCase() : '';
    if (name === 'thinking_level_unspecified') return undefined;
    if (!THINKING_LEVELS.has(name)) {
      invalid(`${field}.thinkingLevel`, 'must be MINIMAL, LOW, MEDIUM or HIGH');
    }
    return name;
  }
  const tokens = wholeNumber(budget, `${field}.thinkingBudget`, -1, MAX_OUTPUT_TOKENS);
  if (tokens === undefined || tokens <= 0) return undefined;
  return tokens < 4096 ? 'low' : tokens < 16_384 ? 'medium' : 'high';
}
