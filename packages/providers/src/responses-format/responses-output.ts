import { isRecord, numberOf, stringOf, type JsonObject } from '../json-values.js';
import {
  callIdOf,
  customInput,
  functionCallItem,
  messageItem,
  messagePart,
  reasoningItem,
  summaryPart,
  type FunctionCall,
  type ItemStatus,
  type MessagePart,
} from './responses-items.js';

interface MessageState {
  type: 'message';
  id: string;
  index: number;
  status: ItemStatus;
  parts: MessagePart[];
}

interface ReasoningState {
  type: 'reasoning';
  id: string;
  index: number;
  status: ItemStatus;
  text: string;
}

interface CallState extends FunctionCall {
  type: 'function_call';
  index: number;
  status: ItemStatus;
  /** The chat tool-call index whose arguments it streams. */
  key: number;
}

type ItemState = MessageState | ReasoningState | CallState;

/** Writes one event with the stream's next sequence_number. */
export type EmitEvent = (type: string, body: JsonObject) => string;

/** The id of the item at this place in the output. */
export type ItemIdOf = (prefix: 'msg' | 'rs' | 'fc' | 'ctc', index: number) => string;

/**
 * The output items of a streamed response: reasoning, text (or refusal) and each tool call as
 * items of their own, one open at a time (an item's events do not interleave with another's),
 * each opened, grown by deltas and closed with events in the Responses API's order.
 */
export class StreamedOutput {
  readonly #emit: EmitEvent;
  readonly #itemId: ItemIdOf;
  readonly #items: ItemState[] = [];
  #open: ItemState | undefined;
  /** Chat tool-call indexes seen: a new one opens a function_call item. */
  readonly #calls = new Set<number>();

  /** The request's freeform tools: their calls stream as custom_tool_call items. */
  readonly #customTools: ReadonlySet<string>;

  constructor(emit: EmitEvent, itemId: ItemIdOf, customTools: ReadonlySet<string>) {
    this.#emit = emit;
    this.#itemId = itemId;
    this.#customTools = customTools;
  }

  /** The items so far, as the response lists them. */
  get items(): JsonObject[] {
    return this.#items.map(itemJson);
  }

  /** A reasoning delta, in the open reasoning item or a new one, as its summary text. */
  reasoningDelta(delta: string): string {
    let out = '';
    let item = this.#open;
    if (item?.type !== 'reasoning') {
      out += this.close('completed');
      const index = this.#items.length;
      item = this.#add<ReasoningState>({
        type: 'reasoning',
        id: this.#itemId('rs', index),
        index,
        status: 'in_progress',
        text: '',
      });
      out += this.#added(item);
      out += this.#emit('response.reasoning_summary_part.added', {
        ...at(item),
        summary_index: 0,
        part: summaryPart(''),
      });
    }
    item.text += delta;
    return (
      out +
      this.#emit('response.reasoning_summary_text.delta', {
        ...at(item),
        summary_index: 0,
        delta,
      })
    );
  }

  /** A text or refusal delta, in the open message's part of its type or a new one. */
  messageDelta(type: MessagePart['type'], delta: string): string {
    let out = '';
    let item = this.#open;
    if (item?.type !== 'message') {
      out += this.close('completed');
      const index = this.#items.length;
      item = this.#add<MessageState>({
        type: 'message',
        id: this.#itemId('msg', index),
        index,
        status: 'in_progress',
        parts: [],
      });
      out += this.#added(item);
    }
    let part = item.parts.at(-1);
    if (part?.type !== type) {
      if (part) out += this.#partDone(item, part);
      part = { type, text: '' };
      item.parts.push(part);
      out += this.#emit('response.content_part.added', {
        ...partAt(item),
        part: messagePart(part),
      });
    }
    part.text += delta;
    return (
      out +
      (type === 'output_text'
        ? this.#emit('response.output_text.delta', { ...partAt(item), delta, logprobs: [] })
        : this.#emit('response.refusal.delta', { ...partAt(item), delta }))
    );
  }

  /** A chat tool-call delta: a new call opens a function_call item, arguments grow it. */
  toolCall(call: JsonObject, position: number): string {
    // Some providers leave out the index of a single call.
    const key = numberOf(call.index) ?? position;
    const fn = isRecord(call.function) ? call.function : {};
    let out = '';
    if (!this.#calls.has(key)) {
      this.#calls.add(key);
      out += this.close('completed');
      const index = this.#items.length;
      const name = stringOf(fn.name) ?? '';
      const custom = this.#customTools.has(name);
      const item = this.#add<CallState>({
        type: 'function_call',
        id: this.#itemId(custom ? 'ctc' : 'fc', index),
        index,
        status: 'in_progress',
        key,
        callId: callIdOf(call.id),
        name,
        arguments: '',
        custom,
      });
      out += this.#added(item);
    }
    const partial = stringOf(fn.arguments);
    // Arguments go to the call being streamed. A provider that went back to an earlier call
    // would send them for an item already done, which the stream cannot reopen.
    const open = this.#open;
    if (partial && open?.type === 'function_call' && open.key === key) {
      open.arguments += partial;
      // A freeform tool's input is the `input` inside these arguments: written whole at the end.
      if (!open.custom) {
        out += this.#emit('response.function_call_arguments.delta', {
          ...at(open),
          delta: partial,
        });
      }
    }
    return out;
  }

  #add<T extends ItemState>(item: T): T {
    this.#items.push(item);
    this.#open = item;
    return item;
  }

  #added(item: ItemState): string {
    return this.#emit('response.output_item.added', {
      output_index: item.index,
      item: itemJson(item),
    });
  }

  #partDone(item: MessageState, part: MessagePart): string {
    const done =
      part.type === 'output_text'
        ? this.#emit('response.output_text.done', {
            ...partAt(item),
            text: part.text,
            logprobs: [],
          })
        : this.#emit('response.refusal.done', { ...partAt(item), refusal: part.text });
    return (
      done + this.#emit('response.content_part.done', { ...partAt(item), part: messagePart(part) })
    );
  }

  /** Ends the open item: its part or arguments are done, then the item itself. */
  close(status: ItemStatus): string {
    const item = this.#open;
    if (item === undefined) return '';
    this.#open = undefined;
    item.status = status;
    let out = '';
    if (item.type === 'message') {
      const part = item.parts.at(-1);
      if (part) out += this.#partDone(item, part);
    } else if (item.type === 'reasoning') {
      const summary = { ...at(item), summary_index: 0 };
      out +=
        this.#emit('response.reasoning_summary_text.done', { ...summary, text: item.text }) +
        this.#emit('response.reasoning_summary_part.done', {
          ...summary,
          part: summaryPart(item.text),
        });
    } else if (item.custom) {
      const input = customInput(item.arguments);
      out +=
        this.#emit('response.custom_tool_call_input.delta', { ...at(item), delta: input }) +
        this.#emit('response.custom_tool_call_input.done', { ...at(item), input });
    } else {
      out += this.#emit('response.function_call_arguments.done', {
        ...at(item),
        name: item.name,
        arguments: item.arguments,
      });
    }
    return (
      out +
      this.#emit('response.output_item.done', { output_index: item.index, item: itemJson(item) })
    );
  }
}

function at(item: ItemState): JsonObject {
  return { item_id: item.id, output_index: item.index };
}

/** A message's last part, the only one that grows. */
function partAt(item: MessageState): JsonObject {
  return { ...at(item), content_index: item.parts.length - 1 };
}

function itemJson(item: ItemState): JsonObject {
  switch (item.type) {
    case 'message':
      return messageItem(item.id, item.parts, item.status);
    case 'reasoning':
      return reasoningItem(item.id, item.text);
    case 'function_call':
      return functionCallItem(item, item.status);
  }
}
