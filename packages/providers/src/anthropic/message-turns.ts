import { contentBlocks, contentText } from './user-content.js';
import { isRecord, parseJson, recordsOf, stringOf, type JsonObject } from '../json-values.js';

export interface Turn {
  role: 'user' | 'assistant';
  content: JsonObject[];
}

export interface Conversation {
  /** System and developer messages, as text blocks. */
  system: JsonObject[];
  turns: Turn[];
}

/** Stands in for the user's first turn when a conversation starts with the assistant. */
export const OPENING_USER_TEXT = '(continue)';

/**
 * OpenAI `messages` as Anthropic's conversation: system and developer messages go to `system`;
 * tool results become `tool_result` blocks of a user turn; assistant tool calls `tool_use`
 * blocks. Consecutive turns of one role are merged, as the Messages API wants strict
 * alternation starting with the user. A conversation of system messages alone sends them as
 * the user's prompt, since Anthropic needs at least one message.
 */
export function toConversation(messages: unknown): Conversation {
  const system: JsonObject[] = [];
  const turns: Turn[] = [];
  for (const message of recordsOf(messages)) {
    const role = message.role;
    if (role === 'system' || role === 'developer') {
      system.push(...contentBlocks(message.content).filter((block) => block.type === 'text'));
    } else if (role === 'user') {
      push(turns, 'user', contentBlocks(message.content));
    } else if (role === 'tool' || role === 'function') {
      push(turns, 'user', [toolResult(message)]);
    } else if (role === 'assistant') {
      push(turns, 'assistant', assistantBlocks(message));
    }
  }
  if (turns.length === 0 && system.length > 0) {
    return { system: [], turns: [{ role: 'user', content: system }] };
  }
  if (turns[0]?.role === 'assistant') {
    turns.unshift({ role: 'user', content: [{ type: 'text', text: OPENING_USER_TEXT }] });
  }
  return { system, turns };
}

function push(turns: Turn[], role: Turn['role'], blocks: JsonObject[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function assistantBlocks(message: JsonObject): JsonObject[] {
  const blocks = contentBlocks(message.content).filter((block) => block.type === 'text');
  for (const call of recordsOf(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : {};
    blocks.push({
      type: 'tool_use',
      id: stringOf(call.id) ?? '',
      name: stringOf(fn.name) ?? '',
      input: toolInput(fn.arguments),
    });
  }
  return blocks;
}

/**
 * A tool call's `arguments` (a JSON text) as the object Anthropic wants as `input`. Arguments
 * that do not parse to an object (a model cut off mid-call, a hand-edited history) are kept as
 * text under `{"arguments": …}`, so the conversation is still accepted and nothing is lost.
 */
export function toolInput(args: unknown): JsonObject {
  if (isRecord(args)) return args;
  const text = stringOf(args) ?? '';
  if (text.trim() === '') return {};
  const parsed = parseJson(text);
  return isRecord(parsed) ? parsed : { arguments: text };
}

function toolResult(message: JsonObject): JsonObject {
  const blocks = contentBlocks(message.content);
  const onlyText = blocks.every((block) => block.type === 'text');
  return {
    type: 'tool_result',
    tool_use_id: stringOf(message.tool_call_id) ?? stringOf(message.name) ?? '',
    content: onlyText ? contentText(message.content) : blocks,
  };
}
