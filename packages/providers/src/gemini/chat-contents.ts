import { contentText, userParts } from './content-parts.js';
import { isRecord, parseJson, recordsOf, stringOf, type JsonObject } from '../json-values.js';

/**
 * Google's documented stand-in for a thought signature the client did not keep: Gemini 3 refuses
 * a replayed function call without one, and OpenAI's format has nowhere to carry the real one.
 */
export const SKIPPED_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

interface Turn {
  role: 'user' | 'model';
  parts: JsonObject[];
}

export interface GeminiContents {
  systemInstruction?: { parts: JsonObject[] };
  contents: Turn[];
}

/**
 * OpenAI chat messages as Gemini's system instruction and turns: system and developer messages
 * become the instruction, assistant turns `model`, tool results `functionResponse` parts in a
 * user turn; consecutive turns of one role are merged, as Gemini wants them alternating.
 */
export function toGeminiContents(messages: unknown): GeminiContents {
  const system: JsonObject[] = [];
  const contents: Turn[] = [];
  /** Tool call id → function name, for the results that answer them. */
  const callNames = new Map<string, string>();
  const add = (role: Turn['role'], parts: JsonObject[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of recordsOf(messages)) {
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text) system.push({ text });
        break;
      }
      case 'user':
        add('user', userParts(message.content));
        break;
      case 'assistant':
        add('model', modelParts(message, callNames));
        break;
      case 'tool':
      case 'function':
        add('user', [functionResponse(message, callNames)]);
        break;
    }
  }
  if (system.length === 0) return { contents };
  // Gemini refuses a request without turns, which OpenAI answers: the instruction is the prompt.
  if (contents.length === 0) return { contents: [{ role: 'user', parts: system }] };
  return { systemInstruction: { parts: system }, contents };
}

function modelParts(message: JsonObject, callNames: Map<string, string>): JsonObject[] {
  const parts: JsonObject[] = [];
  const text = contentText(message.content);
  if (text) parts.push({ text });
  const calls = recordsOf(message.tool_calls);
  // The deprecated single function call of older clients.
  if (isRecord(message.function_call)) calls.push({ function: message.function_call });
  let first = true;
  for (const call of calls) {
    const fn = isRecord(call.function) ? call.function : {};
    const name = stringOf(fn.name) ?? '';
    const id = stringOf(call.id);
    if (id !== undefined) callNames.set(id, name);
    const part: JsonObject = { functionCall: { name, args: argumentsObject(fn.arguments) } };
    // Gemini 3 wants the signature on the first call of a turn only.
    if (first) part.thoughtSignature = SKIPPED_THOUGHT_SIGNATURE;
    first = false;
    parts.push(part);
  }
  return parts;
}

/** A call's arguments as the object Gemini needs; broken or non-object JSON gives `{}`. */
function argumentsObject(args: unknown): JsonObject {
  if (isRecord(args)) return args;
  const parsed = typeof args === 'string' ? parseJson(args) : undefined;
  return isRecord(parsed) ? parsed : {};
}

function functionResponse(message: JsonObject, callNames: Map<string, string>): JsonObject {
  const id = stringOf(message.tool_call_id);
  const name = (id !== undefined ? callNames.get(id) : undefined) ?? stringOf(message.name) ?? '';
  const text = contentText(message.content);
  const parsed = parseJson(text);
  // Gemini takes an object; other results go under `output`, the key its docs name for it.
  const response = isRecord(parsed) ? parsed : { output: text };
  return { functionResponse: { name, response } };
}
