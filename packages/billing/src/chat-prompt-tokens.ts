import type { ChatPromptRequest } from './chat-request.js';
import { imageSizeFromDataUrl } from './image-size.js';
import { imageTokens } from './image-tokens.js';
import { tokenizerFor, type Tokenizer } from './tokenizer.js';
import { countToolDefinitions } from './tool-tokens.js';
import { isObject, list } from './untrusted-json.js';

interface MessageFormat {
  /** `<|start|>{role}<|message|>…<|end|>` around each message. */
  perMessage: number;
  perName: number;
}

// The openai-cookbook "How to count tokens with tiktoken" accounting, which matches the API's
// usage for gpt-3.5-turbo, gpt-4 and gpt-4o (129 and 124 tokens for its example).
const CHAT_FORMAT: MessageFormat = { perMessage: 3, perName: 1 };
// The first ChatGPT snapshot wrote a name in place of the role.
const GPT_35_TURBO_0301_FORMAT: MessageFormat = { perMessage: 4, perName: -1 };
/** Every reply is primed with `<|start|>assistant<|message|>`. */
const REPLY_PRIMING = 3;

/**
 * Prompt tokens of a chat completion request for `model`: each message's overhead, role,
 * content (text and images), name, tool calls and any other string field (as the cookbook
 * encodes every value), plus the tool definitions and the reply priming.
 */
export function countChatPrompt(request: ChatPromptRequest, model: string): number {
  const tokenizer = tokenizerFor(model);
  const format = /gpt-3\.?5-turbo-0301/i.test(model) ? GPT_35_TURBO_0301_FORMAT : CHAT_FORMAT;
  let total = REPLY_PRIMING + countToolDefinitions(request, tokenizer);
  for (const message of list(request.messages)) {
    if (isObject(message)) total += countMessage(message, format, tokenizer);
  }
  return total;
}

function countMessage(
  message: Readonly<Record<string, unknown>>,
  format: MessageFormat,
  tokenizer: Tokenizer,
): number {
  let total = format.perMessage;
  for (const [key, value] of Object.entries(message)) {
    switch (key) {
      case 'content':
        total += countContent(value, tokenizer);
        break;
      case 'tool_calls':
        for (const call of list(value)) {
          if (isObject(call)) total += countCall(call.function, tokenizer);
        }
        break;
      case 'function_call':
        total += countCall(value, tokenizer);
        break;
      default:
        if (typeof value === 'string') {
          total += tokenizer.count(value) + (key === 'name' ? format.perName : 0);
        }
    }
  }
  return total;
}

function countContent(content: unknown, tokenizer: Tokenizer): number {
  if (typeof content === 'string') return tokenizer.count(content);
  let total = 0;
  for (const part of list(content)) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') total += tokenizer.count(part.text);
    else if (typeof part.refusal === 'string') total += tokenizer.count(part.refusal);
    else if (part.type === 'image_url' && isObject(part.image_url)) {
      const { url, detail } = part.image_url;
      const size = typeof url === 'string' ? imageSizeFromDataUrl(url) : undefined;
      total += imageTokens(typeof detail === 'string' ? detail : undefined, size);
    }
  }
  return total;
}

/** A tool call reaches the model as its function name and its JSON arguments. */
function countCall(call: unknown, tokenizer: Tokenizer): number {
  if (!isObject(call)) return 0;
  const { name, arguments: args } = call;
  return (
    (typeof name === 'string' ? tokenizer.count(name) : 0) +
    (typeof args === 'string' ? tokenizer.count(args) : 0)
  );
}
