import { maxOutputTokens } from './max-output.js';
import { toConversation } from './message-turns.js';
import { responseFormatInstruction } from './response-format.js';
import { planThinking, requestedBudget } from './thinking.js';
import { toToolChoice, toTools } from './tool-settings.js';
import { numberOf, stringOf, type JsonObject } from '../json-values.js';

/**
 * An OpenAI chat completions body as an Anthropic Messages body, without `model` and `stream`:
 * the Anthropic adapter adds both, while Vertex AI and Bedrock name the model in the URL and add
 * their own `anthropic_version`. Only fields the Messages API knows are sent (it refuses
 * others). `upstreamModel` picks the default `max_tokens` when the client gave none.
 */
export function toMessagesRequest(json: JsonObject, upstreamModel: string): JsonObject {
  const { system, turns } = toConversation(json.messages);
  const instruction = responseFormatInstruction(json.response_format);
  if (instruction) system.push({ type: 'text', text: instruction });

  const body: JsonObject = { messages: turns };
  if (system.length > 0) body.system = system;

  const tools = toTools(json.tools);
  const choice = tools ? toToolChoice(json.tool_choice, json.parallel_tool_calls) : undefined;
  let maxTokens = clientMaxTokens(json) ?? maxOutputTokens(upstreamModel);
  // Anthropic refuses thinking with a forced tool; the client's tool choice is the firmer ask.
  const forced = choice?.type === 'any' || choice?.type === 'tool';
  const budget = forced ? undefined : requestedBudget(json);
  if (budget !== undefined) {
    const plan = planThinking(budget, maxTokens);
    body.thinking = plan.thinking;
    maxTokens = plan.maxTokens;
  } else {
    // Anthropic takes no sampling settings beside thinking, and a temperature of 0–1 only.
    const temperature = numberOf(json.temperature);
    if (temperature !== undefined) body.temperature = Math.min(Math.max(temperature, 0), 1);
    const topP = numberOf(json.top_p);
    if (topP !== undefined) body.top_p = topP;
    const topK = numberOf(json.top_k);
    if (topK !== undefined && Number.isInteger(topK) && topK > 0) body.top_k = topK;
  }
  body.max_tokens = maxTokens;

  const stops = stopSequences(json.stop);
  if (stops) body.stop_sequences = stops;

  if (tools) body.tools = tools;
  if (choice) body.tool_choice = choice;

  const user = stringOf(json.user);
  if (user) body.metadata = { user_id: user };
  return body;
}

/** The client's limit (`max_completion_tokens` first, as OpenAI reads it), a positive integer. */
function clientMaxTokens(json: JsonObject): number | undefined {
  for (const value of [json.max_completion_tokens, json.max_tokens]) {
    const n = numberOf(value);
    if (n !== undefined && Number.isInteger(n) && n >= 1) return n;
  }
  return undefined;
}

function stopSequences(stop: unknown): string[] | undefined {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  // Anthropic refuses sequences of whitespace only.
  const kept = list.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  return kept.length > 0 ? kept : undefined;
}
