import { randomUUID } from 'node:crypto';
import { isRecord, parseJson, stringOf, type JsonObject } from '../json-values.js';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** A part of an answer message: text, or the model's refusal (structured outputs). */
export interface MessagePart {
  type: 'output_text' | 'refusal';
  text: string;
}

export interface FunctionCall {
  id: string;
  callId: string;
  name: string;
  arguments: string;
  /** A call of one of the request's freeform tools: answered as a custom_tool_call item. */
  custom: boolean;
}

export function messagePart(part: MessagePart): JsonObject {
  return part.type === 'output_text'
    ? { type: 'output_text', text: part.text, annotations: [] }
    : { type: 'refusal', refusal: part.text };
}

export function messageItem(id: string, parts: MessagePart[], status: ItemStatus): JsonObject {
  return { id, type: 'message', status, role: 'assistant', content: parts.map(messagePart) };
}

/** Chat's reasoning text, which no upstream here summarises, stands as the summary. */
export function reasoningItem(id: string, text: string): JsonObject {
  return { id, type: 'reasoning', summary: text ? [summaryPart(text)] : [] };
}

export function summaryPart(text: string): JsonObject {
  return { type: 'summary_text', text };
}

export function functionCallItem(call: FunctionCall, status: ItemStatus): JsonObject {
  if (call.custom) {
    return {
      id: call.id,
      type: 'custom_tool_call',
      status,
      call_id: call.callId,
      name: call.name,
      input: customInput(call.arguments),
    };
  }
  return {
    id: call.id,
    type: 'function_call',
    status,
    arguments: call.arguments,
    call_id: call.callId,
    name: call.name,
  };
}

/**
 * A freeform tool's input from the arguments of the function that stood for it: `{"input": …}`,
 * or, from a model that wrote something else, the arguments as they are.
 */
export function customInput(args: string): string {
  const parsed = parseJson(args);
  return isRecord(parsed) && typeof parsed.input === 'string' ? parsed.input : args;
}

/** A tool call's id, or one made up: clients answer each call by its id. */
export function callIdOf(id: unknown): string {
  return stringOf(id) || `call_${randomUUID().replaceAll('-', '')}`;
}
