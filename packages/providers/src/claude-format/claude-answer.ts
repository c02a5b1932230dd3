import { randomUUID } from 'node:crypto';
import {
  isRecord,
  numberOf,
  parseJson,
  recordsOf,
  stringOf,
  type JsonObject,
} from '../json-values.js';

/** The token counts a Claude message reports. */
export interface ClaudeUsage {
  /** Prompt tokens not read from the prompt cache. */
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
}

/**
 * An OpenAI `chat.completion` (untrusted, already parsed) as a Claude Messages response:
 * reasoning as a thinking block, then the text, then each tool call as a tool_use block.
 * Thinking blocks get an empty signature: no upstream here signs them.
 */
export function claudeMessageOfChat(chat: unknown, model: string): JsonObject {
  const answer = isRecord(chat) ? chat : {};
  const choice = recordsOf(answer.choices)[0] ?? {};
  const message = isRecord(choice.message) ? choice.message : {};
  return {
    id: claudeMessageId(answer.id),
    type: 'message',
    role: 'assistant',
    model,
    content: contentBlocks(message),
    stop_reason: claudeStopReason(choice.finish_reason),
    stop_sequence: null,
    usage: { ...claudeUsage(answer.usage), cache_creation_input_tokens: 0 },
  };
}

/**
 * The answer's id in Claude's style (`msg_…`), kept recognisable for the logs; an Anthropic
 * upstream's own id (`chatcmpl-msg_…` once converted) comes back as it was.
 */
export function claudeMessageId(chatId: unknown): string {
  const id = stringOf(chatId)?.replace(/^chatcmpl-/, '') || randomUUID().replaceAll('-', '');
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

/** A tool call's id, or one made up: Claude clients answer each tool_use by its id. */
export function claudeToolUseId(callId: unknown): string {
  return stringOf(callId) || `toolu_${randomUUID().replaceAll('-', '')}`;
}

/** OpenAI's `finish_reason` as Claude's `stop_reason`. */
export function claudeStopReason(finishReason: unknown): string {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      // stop, none given, and reasons added later.
      return 'end_turn';
  }
}

/**
 * OpenAI's usage as Claude counts it: Claude's input tokens leave out the cached ones, which
 * OpenAI includes in its prompt tokens. What is missing or not a count is 0.
 */
export function claudeUsage(usage: unknown): ClaudeUsage {
  const counts = isRecord(usage) ? usage : {};
  const details = isRecord(counts.prompt_tokens_details) ? counts.prompt_tokens_details : {};
  const cached = countOf(details.cached_tokens);
  return {
    input_tokens: Math.max(countOf(counts.prompt_tokens) - cached, 0),
    output_tokens: countOf(counts.completion_tokens),
    cache_read_input_tokens: cached,
  };
}

function countOf(value: unknown): number {
  const n = numberOf(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

function contentBlocks(message: JsonObject): JsonObject[] {
  const blocks: JsonObject[] = [];
  const thinking = stringOf(message.reasoning_content);
  if (thinking) blocks.push({ type: 'thinking', thinking, signature: '' });
  const text = textOf(message.content);
  if (text) blocks.push({ type: 'text', text });
  for (const call of recordsOf(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : {};
    blocks.push({
      type: 'tool_use',
      id: claudeToolUseId(call.id),
      name: stringOf(fn.name) ?? '',
      input: toolInput(fn.arguments),
    });
  }
  return blocks;
}

/** `content` as a string, or as an array of parts whose text parts count. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return recordsOf(content)
    .map((part) => (part.type === 'text' ? (stringOf(part.text) ?? '') : ''))
    .join('');
}

/** Claude's tool input must be an object: arguments cut short or not an object give `{}`. */
function toolInput(args: unknown): JsonObject {
  const parsed = parseJson(stringOf(args) ?? '');
  return isRecord(parsed) ? parsed : {};
}
