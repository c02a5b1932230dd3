import { randomUUID } from 'node:crypto';
import { anthropicUsage, openAIUsageObject } from './anthropic-usage.js';
import { finishReason } from './finish-reason.js';
import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';

/**
 * A whole Messages API answer as OpenAI's `chat.completion`: text blocks joined as `content`,
 * thinking as `reasoning_content`, tool_use blocks as `tool_calls` keeping Anthropic's ids (the
 * client sends them back with the results), the stop reason as `finish_reason`, and usage.
 * `model` is the one the client asked for.
 */
export function toChatCompletion(answer: unknown, model: string): JsonObject {
  const message = isRecord(answer) ? answer : {};
  const blocks = recordsOf(message.content);
  let text = '';
  let reasoning = '';
  const toolCalls: JsonObject[] = [];
  for (const block of blocks) {
    if (block.type === 'text') text += stringOf(block.text) ?? '';
    else if (block.type === 'thinking') reasoning += stringOf(block.thinking) ?? '';
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: stringOf(block.id) ?? `call_${randomUUID()}`,
        type: 'function',
        function: {
          name: stringOf(block.name) ?? '',
          arguments: JSON.stringify(block.input ?? {}),
        },
      });
    }
  }
  const reply: JsonObject = { role: 'assistant', content: text || (toolCalls.length ? null : '') };
  if (reasoning) reply.reasoning_content = reasoning;
  if (toolCalls.length > 0) reply.tool_calls = toolCalls;
  reply.refusal = null;
  const usage = anthropicUsage(message.usage);
  return {
    id: `chatcmpl-${stringOf(message.id) ?? randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: reply,
        logprobs: null,
        finish_reason: finishReason(message.stop_reason),
      },
    ],
    ...(usage ? { usage: openAIUsageObject(usage) } : {}),
  };
}

/** The generated text of a whole answer (text, thinking, tool inputs), for counting tokens. */
export function answerText(answer: unknown): string {
  const blocks = isRecord(answer) ? recordsOf(answer.content) : [];
  return blocks
    .map((block) => {
      if (block.type === 'text') return stringOf(block.text) ?? '';
      if (block.type === 'thinking') return stringOf(block.thinking) ?? '';
      if (block.type === 'tool_use') return JSON.stringify(block.input ?? {});
      return '';
    })
    .join('');
}
