import { isRecord, type JsonObject } from '../json-values.js';
import { absent, invalid, nativeOnly, quoted, requiredString } from './responses-request-error.js';

/** Chat's roles for the Responses roles; a developer message is chat's system message. */
const ROLES = new Map([
  ['user', 'user'],
  ['assistant', 'assistant'],
  ['system', 'system'],
  ['developer', 'system'],
]);

const IMAGE_DETAILS = new Set(['low', 'high', 'auto']);

const STORED_ITEM =
  'the gateway keeps no responses for this model, so items cannot be referred to by id: ' +
  'send the items themselves (with store: false)';

/**
 * A Responses `input` as chat messages: a string is one user message; an array holds messages,
 * function calls (merged into the assistant message before them, as chat holds them) and their
 * outputs. Reasoning items are left out: chat has no field to send them back in.
 */
export function chatMessagesOfInput(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) invalid('input', 'must be a string or an array of input items');
  const messages: JsonObject[] = [];
  for (const [i, item] of input.entries()) addItem(messages, item, `input[${i}]`);
  return messages;
}

function addItem(messages: JsonObject[], item: unknown, field: string): void {
  if (!isRecord(item)) invalid(field, 'must be an object');
  const type = item.type;
  // The SDKs send "easy" messages without a type; an item with neither is a reference.
  if (absent(type) && item.role !== undefined) {
    messages.push(message(item, field));
    return;
  }
  switch (type ?? 'item_reference') {
    case 'message':
      messages.push(message(item, field));
      return;
    case 'function_call':
      addToolCall(messages, toolCall(item, field));
      return;
    case 'function_call_output':
    case 'custom_tool_call_output':
      messages.push(toolMessage(item, field));
      return;
    case 'custom_tool_call':
      addToolCall(messages, customToolCall(item, field));
      return;
    case 'reasoning':
      return;
    case 'item_reference':
      return nativeOnly(field, STORED_ITEM);
    default:
      if (typeof type !== 'string') invalid(`${field}.type`, 'must name the item type');
      nativeOnly(
        `${field}.type`,
        `${quoted(type)} items are not supported by the gateway's conversion`,
      );
  }
}

function message(item: JsonObject, field: string): JsonObject {
  const role = typeof item.role === 'string' ? ROLES.get(item.role) : undefined;
  if (role === undefined) {
    invalid(`${field}.role`, 'must be "user", "assistant", "system" or "developer"');
  }
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content)) invalid(`${field}.content`, 'must be a string or an array of parts');
  const parts = content.map((part, i) => {
    if (!isRecord(part)) invalid(`${field}.content[${i}]`, 'must be a content part');
    return part;
  });
  const at = `${field}.content`;
  if (role === 'assistant') return { role, content: assistantText(parts, at) };
  return { role, content: parts.map((part, i) => userPart(part, `${at}[${i}]`, role)) };
}

/** An earlier answer as chat holds it: one string, a refusal included as what was said. */
function assistantText(parts: JsonObject[], field: string): string {
  let text = '';
  for (const [i, part] of parts.entries()) {
    const at = `${field}[${i}]`;
    if (part.type === 'output_text' || part.type === 'input_text') {
      text += requiredString(part.text, `${at}.text`);
    } else if (part.type === 'refusal') {
      text += requiredString(part.refusal, `${at}.refusal`);
    } else invalid(`${at}.type`, 'must be "output_text", "input_text" or "refusal"');
  }
  return text;
}

function userPart(part: JsonObject, field: string, role: string): JsonObject {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requiredString(part.text, `${field}.text`) };
    case 'input_image':
      // Chat takes images in user messages only.
      if (role !== 'user') invalid(field, 'images may only be sent in user messages');
      return imagePart(part, field);
    case 'input_file':
      return nativeOnly(field, "files are not supported by the gateway's conversion");
    default:
      return invalid(`${field}.type`, 'must be "input_text", "input_image" or "input_file"');
  }
}

function imagePart(part: JsonObject, field: string): JsonObject {
  if (!absent(part.file_id)) {
    nativeOnly(`${field}.file_id`, "images by file id need OpenAI's stored files: send image_url");
  }
  const url = part.image_url;
  if (typeof url !== 'string' || url === '') invalid(`${field}.image_url`, 'must be a URL');
  const detail = part.detail;
  return {
    type: 'image_url',
    image_url: typeof detail === 'string' && IMAGE_DETAILS.has(detail) ? { url, detail } : { url },
  };
}

function toolCall(item: JsonObject, field: string): JsonObject {
  const id = item.call_id;
  if (typeof id !== 'string' || id === '') invalid(`${field}.call_id`, 'must be the call id');
  const name = requiredString(item.name, `${field}.name`);
  const args = requiredString(item.arguments, `${field}.arguments`);
  return { id, type: 'function', function: { name, arguments: args } };
}

/** A freeform tool's call, as the function that stands for it in chat (see customToolFunction). */
function customToolCall(item: JsonObject, field: string): JsonObject {
  const id = item.call_id;
  if (typeof id !== 'string' || id === '') invalid(`${field}.call_id`, 'must be the call id');
  const name = requiredString(item.name, `${field}.name`);
  const input = requiredString(item.input, `${field}.input`);
  return { id, type: 'function', function: { name, arguments: JSON.stringify({ input }) } };
}

/** A call joins the assistant message right before it: its text, or the calls made with it. */
function addToolCall(messages: JsonObject[], call: JsonObject): void {
  const last = messages.at(-1);
  if (last?.role !== 'assistant') {
    messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    return;
  }
  if (Array.isArray(last.tool_calls)) last.tool_calls.push(call);
  else last.tool_calls = [call];
  if (last.content === '') last.content = null;
}

function toolMessage(item: JsonObject, field: string): JsonObject {
  const id = item.call_id;
  if (typeof id !== 'string' || id === '') {
    invalid(`${field}.call_id`, 'must name the function call it answers');
  }
  return { role: 'tool', tool_call_id: id, content: outputText(item.output, `${field}.output`) };
}

/** A tool message holds text only: images and files in an output are left out. */
function outputText(output: unknown, field: string): string {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output)) invalid(field, 'must be a string or an array of parts');
  const texts: string[] = [];
  for (const [i, part] of output.entries()) {
    if (!isRecord(part)) invalid(`${field}[${i}]`, 'must be a content part');
    if (part.type === 'input_text') texts.push(requiredString(part.text, `${field}[${i}].text`));
  }
  return texts.join('\n');
}
