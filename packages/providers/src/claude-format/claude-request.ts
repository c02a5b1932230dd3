import { isRecord, numberOf, stringOf, type JsonObject } from '../json-values.js';

/** A Claude Messages body the gateway cannot read; its message names the field at fault. */
export class ClaudeRequestError extends Error {
  override readonly name = 'ClaudeRequestError';
}

/**
 * A Claude Messages request body as the hub's OpenAI chat completions body, for an upstream
 * that does not speak Claude's format. The body is the client's and untrusted: what cannot be
 * read throws ClaudeRequestError; what OpenAI has no field for (top_k, cache_control, thinking
 * signatures, Anthropic's server tools) is left out.
 */
export function chatRequestOfClaude(claude: JsonObject): JsonObject {
  const model = claude.model;
  if (typeof model !== 'string' || model.trim() === '') invalid('model', 'must be a model name');
  const chat: JsonObject = {
    model,
    messages: [...systemMessages(claude.system), ...conversation(claude.messages)],
    max_tokens: maxTokens(claude.max_tokens),
  };
  const temperature = fraction(claude.temperature, 'temperature');
  if (temperature !== undefined) chat.temperature = temperature;
  const topP = fraction(claude.top_p, 'top_p');
  if (topP !== undefined) chat.top_p = topP;
  const stop = stopSequences(claude.stop_sequences);
  if (stop.length > 0) chat.stop = stop;
  const user = metadataUser(claude.metadata);
  if (user !== undefined) chat.user = user;
  Object.assign(chat, toolSettings(claude));
  const effort = reasoningEffort(claude.thinking);
  if (effort !== undefined) chat.reasoning_effort = effort;
  if (!absent(claude.stream)) {
    if (typeof claude.stream !== 'boolean') invalid('stream', 'must be true or false');
    chat.stream = claude.stream;
    // A Claude stream ends with its usage, which OpenAI streams report only when asked.
    if (claude.stream) chat.stream_options = { include_usage: true };
  }
  return chat;
}

function invalid(field: string, problem: string): never {
  throw new ClaudeRequestError(`${field}: ${problem}`);
}

/** Optional fields may be missing or null alike. */
function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(field, 'must be a string');
  return value;
}

function maxTokens(value: unknown): number {
  const n = numberOf(value);
  if (n === undefined || !Number.isSafeInteger(n) || n < 1) {
    invalid('max_tokens', 'must be a positive whole number');
  }
  return n;
}

/** temperature and top_p: Anthropic takes 0–1 only, a range every OpenAI upstream accepts. */
function fraction(value: unknown, field: string): number | undefined {
  if (absent(value)) return undefined;
  const n = numberOf(value);
  if (n === undefined || n < 0 || n > 1) invalid(field, 'must be a number from 0 to 1');
  return n;
}

function stopSequences(value: unknown): string[] {
  if (absent(value)) return [];
  if (!Array.isArray(value)) invalid('stop_sequences', 'must be an array of strings');
  return value.map((stop, i) => requiredString(stop, `stop_sequences[${i}]`));
}

function metadataUser(metadata: unknown): string | undefined {
  if (absent(metadata)) return undefined;
  if (!isRecord(metadata)) invalid('metadata', 'must be an object');
  const user = metadata.user_id;
  return absent(user) ? undefined : requiredString(user, 'metadata.user_id');
}

function systemMessages(system: unknown): JsonObject[] {
  if (absent(system)) return [];
  let text: string;
  if (typeof system === 'string') text = system;
  else if (Array.isArray(system)) {
    text = system.map((block, i) => textOfBlock(block, `system[${i}]`)).join('\n\n');
  } else invalid('system', 'must be a string or an array of text blocks');
  return text === '' ? [] : [{ role: 'system', content: text }];
}

function textOfBlock(block: unknown, field: string): string {
  if (!isRecord(block) || block.type !== 'text') invalid(field, 'must be a text block');
  return requiredString(block.text, `${field}.text`);
}

/** Claude's tool choices that OpenAI names by a word. */
const TOOL_CHOICES = new Map([
  ['auto', 'auto'],
  ['any', 'required'],
  ['none', 'none'],
]);

/** tools, tool_choice and parallel_tool_calls; none of them when no tool is left to offer. */
function toolSettings(claude: JsonObject): JsonObject {
  const tools = chatTools(claude.tools);
  // OpenAI refuses a tool choice without tools, which dropping server tools may leave.
  if (tools.length === 0) return {};
  const settings: JsonObject = { tools };
  const choice = claude.tool_choice;
  if (absent(choice)) return settings;
  if (!isRecord(choice)) invalid('tool_choice', 'must be an object');
  const type = choice.type;
  if (type === 'tool') {
    const name = requiredString(choice.name, 'tool_choice.name');
    settings.tool_choice = { type: 'function', function: { name } };
  } else if (typeof type === 'string' && TOOL_CHOICES.has(type)) {
    settings.tool_choice = TOOL_CHOICES.get(type);
  } else invalid('tool_choice.type', 'must be "auto", "any", "tool" or "none"');
  if (choice.disable_parallel_tool_use === true) settings.parallel_tool_calls = false;
  return settings;
}

function chatTools(tools: unknown): JsonObject[] {
  if (absent(tools)) return [];
  if (!Array.isArray(tools)) invalid('tools', 'must be an array');
  const converted: JsonObject[] = [];
  for (const [i, tool] of tools.entries()) {
    const field = `tools[${i}]`;
    if (!isRecord(tool)) invalid(field, 'must be an object');
    // Anthropic's server tools (web search, bash, text editor …) run at Anthropic, not here.
    if (!absent(tool.type) && tool.type !== 'custom') continue;
    const name = requiredString(tool.name, `${field}.name`);
    if (!isRecord(tool.input_schema)) invalid(`${field}.input_schema`, 'must be an object');
    const description = stringOf(tool.description);
    converted.push({
      type: 'function',
      function: {
        name,
        ...(description === undefined ? {} : { description }),
        parameters: tool.input_schema,
      },
    });
  }
  return converted;
}

/** A thinking budget as OpenAI's coarser reasoning effort. */
function reasoningEffort(thinking: unknown): string | undefined {
  if (absent(thinking)) return undefined;
  if (!isRecord(thinking)) invalid('thinking', 'must be an object');
  // "adaptive" leaves the depth to the model, as an upstream does without an effort.
  if (thinking.type === 'disabled' || thinking.type === 'adaptive') return undefined;
  if (thinking.type !== 'enabled') invalid('thinking.type', 'must be "enabled" or "disabled"');
  const budget = numberOf(thinking.budget_tokens);
  if (budget === undefined || !Number.isSafeInteger(budget) || budget < 1) {
    invalid('thinking.budget_tokens', 'must be a positive whole number');
  }
  return budget < 4096 ? 'low' : budget < 16_384 ? 'medium' : 'high';
}

function conversation(messages: unknown): JsonObject[] {
  if (!Array.isArray(messages)) invalid('messages', 'must be an array');
  if (messages.length === 0) invalid('messages', 'must hold at least one message');
  return messages.flatMap((message, i) => chatMessages(message, `messages[${i}]`));
}

function chatMessages(message: unknown, field: string): JsonObject[] {
  if (!isRecord(message)) invalid(field, 'must be an object');
  const { role, content } = message;
  if (role !== 'user' && role !== 'assistant') {
    invalid(`${field}.role`, 'must be "user" or "assistant"');
  }
  if (typeof content === 'string') return [{ role, content }];
  if (!Array.isArray(content)) {
    invalid(`${field}.content`, 'must be a string or an array of content blocks');
  }
  const blocks = content.map((block, i) => {
    if (!isRecord(block) || typeof block.type !== 'string') {
      invalid(`${field}.content[${i}]`, 'must be a content block with a type');
    }
    return block;
  });
  return role === 'user'
    ? userMessages(blocks, `${field}.content`)
    : [assistantMessage(blocks, `${field}.content`)];
}

/**
 * A user turn's blocks: each tool result as a `tool` message, first, since OpenAI wants them
 * right after the assistant's tool calls; then one user message with the other parts, if any.
 */
function userMessages(blocks: JsonObject[], field: string): JsonObject[] {
  const messages: JsonObject[] = [];
  const parts: JsonObject[] = [];
  for (const [i, block] of blocks.entries()) {
    const at = `${field}[${i}]`;
    if (block.type === 'tool_result') {
      messages.push(toolMessage(block, at));
      continue;
    }
    const part = userPart(block, at);
    if (part) parts.push(part);
  }
  if (parts.length > 0) messages.push({ role: 'user', content: parts });
  return messages;
}

function userPart(block: JsonObject, field: string): JsonObject | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: requiredString(block.text, `${field}.text`) };
    case 'image':
      return imagePart(block.source, `${field}.source`);
    case 'document':
      return documentPart(block.source, `${field}.source`);
    default:
      // Thinking blocks, search results and later types have no OpenAI part.
      return undefined;
  }
}

/** A media type as it may stand in a data URL (no `;` or `,` to end it early). */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

function imagePart(source: unknown, field: string): JsonObject {
  if (!isRecord(source)) invalid(field, 'must be an object');
  if (source.type === 'url') {
    return { type: 'image_url', image_url: { url: requiredString(source.url, `${field}.url`) } };
  }
  if (source.type !== 'base64') invalid(`${field}.type`, 'must be "base64" or "url"');
  const mediaType = requiredString(source.media_type, `${field}.media_type`);
  if (!MEDIA_TYPE.test(mediaType)) invalid(`${field}.media_type`, 'must be a media type');
  const data = requiredString(source.data, `${field}.data`);
  return { type: 'image_url', image_url: { url: `data:${mediaType};base64,${data}` } };
}

function documentPart(source: unknown, field: string): JsonObject {
  if (!isRecord(source)) invalid(field, 'must be an object');
  if (source.type === 'text') {
    return { type: 'text', text: requiredString(source.data, `${field}.data`) };
  }
  if (source.type !== 'base64' || source.media_type !== 'application/pdf') {
    // OpenAI takes files as inline data only: a URL or Files API id has no counterpart.
    invalid(field, 'only base64 PDF and plain text documents can be sent to this model');
  }
  const data = requiredString(source.data, `${field}.data`);
  return {
    type: 'file',
    file: { filename: 'document.pdf', file_data: `data:application/pdf;base64,${data}` },
  };
}

/** is_error has no OpenAI counterpart: the result's text, which tells what failed, goes as is. */
function toolMessage(block: JsonObject, field: string): JsonObject {
  const id = block.tool_use_id;
  if (typeof id !== 'string' || id === '') {
    invalid(`${field}.tool_use_id`, 'must name the tool_use it answers');
  }
  return {
    role: 'tool',
    tool_call_id: id,
    content: toolResultText(block.content, `${field}.content`),
  };
}

function toolResultText(content: unknown, field: string): string {
  if (absent(content)) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) invalid(field, 'must be a string or an array of content blocks');
  const texts: string[] = [];
  for (const [i, block] of content.entries()) {
    if (!isRecord(block)) invalid(`${field}[${i}]`, 'must be a content block');
    // A tool message holds text only: images in a result are left out.
    if (block.type === 'text') texts.push(requiredString(block.text, `${field}[${i}].text`));
  }
  return texts.join('\n');
}

/**
 * An assistant turn: its text blocks (pieces of one answer, split where citations fall) as
 * one string, its tool_use blocks as tool calls. Thinking blocks are left out: their
 * signatures mean something to Anthropic alone.
 */
function assistantMessage(blocks: JsonObject[], field: string): JsonObject {
  let text = '';
  const toolCalls: JsonObject[] = [];
  for (const [i, block] of blocks.entries()) {
    const at = `${field}[${i}]`;
    if (block.type === 'text') text += requiredString(block.text, `${at}.text`);
    else if (block.type === 'tool_use') toolCalls.push(toolCall(block, at));
  }
  if (toolCalls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text === '' ? null : text, tool_calls: toolCalls };
}

function toolCall(block: JsonObject, field: string): JsonObject {
  const id = requiredString(block.id, `${field}.id`);
  const name = requiredString(block.name, `${field}.name`);
  if (!isRecord(block.input)) invalid(`${field}.input`, 'must be an object');
  return { id, type: 'function', function: { name, arguments: JSON.stringify(block.input) } };
}
