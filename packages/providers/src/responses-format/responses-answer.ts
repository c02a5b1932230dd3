import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';
import {
  callIdOf,
  functionCallItem,
  messageItem,
  reasoningItem,
  type ItemStatus,
  type MessagePart,
} from './responses-items.js';
import { customToolNames } from './responses-request.js';
import {
  itemId,
  responseCreatedAt,
  responseEnd,
  responseId,
  responseObject,
  responsesUsage,
  type EchoedRequest,
} from './responses-object.js';

/**
 * An OpenAI `chat.completion` (untrusted, already parsed) as a Responses API Response: the
 * reasoning as a reasoning item, the text (or refusal) as a message, each tool call as a
 * function_call item, in that order. An answer cut short marks its last item incomplete.
 */
export function responseOfChat(chat: unknown, request: EchoedRequest): JsonObject {
  const answer = isRecord(chat) ? chat : {};
  // A Response holds one answer: other choices (n > 1) are left out.
  const choice = recordsOf(answer.choices)[0] ?? {};
  const message = isRecord(choice.message) ? choice.message : {};
  const id = responseId(answer.id);
  const end = responseEnd(choice.finish_reason);
  return responseObject({
    id,
    createdAt: responseCreatedAt(answer.created),
    status: end.status,
    incompleteDetails: end.incompleteDetails,
    request,
    output: outputItems(
      message,
      id,
      end.status === 'incomplete' ? 'incomplete' : 'completed',
      customToolNames(request.body),
    ),
    usage: responsesUsage(answer.usage),
  });
}

function outputItems(
  message: JsonObject,
  id: string,
  lastStatus: ItemStatus,
  customTools: ReadonlySet<string>,
): JsonObject[] {
  // Each item is built once its place, and so its id and status, is known.
  const items: ((index: number, status: ItemStatus) => JsonObject)[] = [];
  const reasoning = stringOf(message.reasoning_content);
  if (reasoning) items.push((index) => reasoningItem(itemId('rs', id, index), reasoning));
  const parts = messageParts(message);
  if (parts.length > 0) {
    items.push((index, status) => messageItem(itemId('msg', id, index), parts, status));
  }
  for (const call of recordsOf(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : {};
    const callId = callIdOf(call.id);
    const name = stringOf(fn.name) ?? '';
    const args = stringOf(fn.arguments) ?? '';
    const custom = customTools.has(name);
    items.push((index, status) =>
      functionCallItem(
        { id: itemId(custom ? 'ctc' : 'fc', id, index), callId, name, arguments: args, custom },
        status,
      ),
    );
  }
  const last = items.length - 1;
  return items.map((item, i) => item(i, i === last ? lastStatus : 'completed'));
}

/** `content` as a string or as parts whose text parts count, then any refusal. */
function messageParts(message: JsonObject): MessagePart[] {
  const content = message.content;
  const text =
    typeof content === 'string'
      ? content
      : recordsOf(content)
          .map((part) => (part.type === 'text' ? (stringOf(part.text) ?? '') : ''))
          .join('');
  const parts: MessagePart[] = [];
  if (text) parts.push({ type: 'output_text', text });
  const refusal = stringOf(message.refusal);
  if (refusal) parts.push({ type: 'refusal', text: refusal });
  return parts;
}
