import { randomUUID } from 'node:crypto';
import { stringOf, type JsonObject } from '../json-values.js';

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
  return {
    id: call.id,
    type: 'function_call',
    status,
    arguments: call.arguments,
    call_id: call.callId,
    name: call.name,
  };
}

/** A tool call's id, or one made up: clients answer each call by its id. */
export function callIdOf(id: unknown): string {
  return stringOf(id) || `call_${randomUUID().replaceAll('-', '')}`;
}
