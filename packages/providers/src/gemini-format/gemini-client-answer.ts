import { randomUUID } from 'node:crypto';
import { SKIPPED_THOUGHT_SIGNATURE } from '../gemini/chat-contents.js';
import {
  isRecord,
  numberOf,
  parseJson,
  recordsOf,
  stringOf,
  type JsonObject,
} from '../json-values.js';

/** A function call as the answer gives it, arguments still as OpenAI's JSON text. */
export interface AnsweredCall {
  id: unknown;
  name: unknown;
  arguments: string;
}

/**
 * An OpenAI `chat.completion` (untrusted, already parsed) as a Gemini GenerateContentResponse:
 * one candidate whose parts are the reasoning as a thought part, the text, then each tool call as
 * a functionCall part. usageMetadata is left out when the upstream reported no usage.
 */
export function generateContentOfChat(chat: unknown, model: string): JsonObject {
  const answer = isRecord(chat) ? chat : {};
  const choice = recordsOf(answer.choices)[0] ?? {};
  const message = isRecord(choice.message) ? choice.message : {};
  const calls = recordsOf(message.tool_calls).map((call): AnsweredCall => {
    const fn = isRecord(call.function) ? call.function : {};
    return { id: call.id, name: fn.name, arguments: stringOf(fn.arguments) ?? '' };
  });
  const parts = [
    ...textParts(stringOf(message.reasoning_content) ?? '', textOf(message)),
    ...functionCallParts(calls),
  ];
  const candidate = {
    content: { role: 'model', parts },
    finishReason: geminiFinishReason(choice.finish_reason),
    index: 0,
  };
  const usageMetadata = geminiUsageMetadata(answer.usage);
  return {
    candidates: [candidate],
    ...(usageMetadata ? { usageMetadata } : {}),
    modelVersion: model,
    responseId: geminiResponseId(answer.id),
  };
}

/**
 * The answer's id as Gemini's `responseId`: the hub's `chatcmpl-` prefix is dropped, so a Gemini
 * upstream's own id (which the hub wraps) comes back as it was.
 */
export function geminiResponseId(chatId: unknown): string {
  return stringOf(chatId)?.replace(/^chatcmpl-/, '') || randomUUID().replaceAll('-', '');
}

/** OpenAI's `finish_reason` as Gemini's: a call ends the turn normally (STOP), as Gemini's do. */
export function geminiFinishReason(finishReason: unknown): string {
  switch (finishReason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    case 'stop':
    case 'tool_calls':
    case 'function_call':
    case null:
    case undefined:
      return 'STOP';
    default:
      return 'OTHER';
  }
}

/** Reasoning as a thought part (which SDKs keep out of `.text`), then the text. */
export function textParts(reasoning: string, text: string): JsonObject[] {
  const parts: JsonObject[] = [];
  if (reasoning) parts.push({ text: reasoning, thought: true });
  if (text) parts.push({ text });
  return parts;
}

/**
 * Tool calls as functionCall parts. Gemini's args must be an object: arguments cut short or not
 * an object give `{}` (the call still reaches the client, which reports the bad input). The
 * first call carries Google's stand-in thought signature, which Gemini 3 requires of a replayed
 * call: the client may send this turn to a Gemini upstream next.
 */
export function functionCallParts(calls: AnsweredCall[]): JsonObject[] {
  return calls.map((call, i) => {
    const parsed = parseJson(call.arguments);
    const functionCall = {
      id: stringOf(call.id) || `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
      name: stringOf(call.name) ?? '',
      args: isRecord(parsed) ? parsed : {},
    };
    return i === 0
      ? { functionCall, thoughtSignature: SKIPPED_THOUGHT_SIGNATURE }
      : { functionCall };
  });
}

/**
 * OpenAI's usage as Gemini's usageMetadata: Gemini counts the thoughts apart from the candidates
 * (OpenAI's completion tokens hold both) and includes the cached tokens in the prompt, as OpenAI
 * does. Undefined without a usage object; counts that are missing or not counts are 0.
 */
export function geminiUsageMetadata(usage: unknown): JsonObject | undefined {
  if (!isRecord(usage)) return undefined;
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isRecord(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : {};
  const prompt = countOf(usage.prompt_tokens);
  const completion = countOf(usage.completion_tokens);
  const thoughts = Math.min(countOf(completionDetails.reasoning_tokens), completion);
  const cached = Math.min(countOf(promptDetails.cached_tokens), prompt);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: completion - thoughts,
    totalTokenCount: prompt + completion,
    ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
  };
}

function countOf(value: unknown): number {
  const n = numberOf(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** `content` as a string or text parts; a refusal is the answer's text when there is no other. */
function textOf(message: JsonObject): string {
  const { content } = message;
  const text =
    typeof content === 'string'
      ? content
      : recordsOf(content)
          .map((part) => (part.type === 'text' ? (stringOf(part.text) ?? '') : ''))
          .join('');
  return text || (stringOf(message.refusal) ?? '');
}
