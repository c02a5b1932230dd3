import { randomUUID } from 'node:crypto';
import { isRecord, numberOf, stringOf, type JsonObject } from '../json-values.js';

/** The client's request as a Response echoes it: the model it asked for, and its body. */
export interface EchoedRequest {
  model: string;
  body: JsonObject;
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseFields {
  id: string;
  createdAt: number;
  status: ResponseStatus;
  request: EchoedRequest;
  output: JsonObject[];
  /** Responses usage, or null while unknown. */
  usage: JsonObject | null;
  incompleteDetails?: JsonObject | null;
  error?: JsonObject | null;
}

/**
 * A Response object: its own fields, then the request settings it echoes, read by the SDKs
 * (the gateway stores nothing, so `store` is false whatever was asked).
 */
export function responseObject(fields: ResponseFields): JsonObject {
  const body = fields.request.body;
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteDetails ?? null,
    instructions: stringOf(body.instructions) ?? null,
    max_output_tokens: numberOf(body.max_output_tokens) ?? null,
    model: fields.request.model,
    output: fields.output,
    parallel_tool_calls:
      typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : true,
    previous_response_id: null,
    reasoning: isRecord(body.reasoning) ? body.reasoning : null,
    store: false,
    temperature: numberOf(body.temperature) ?? null,
    text: isRecord(body.text) ? body.text : { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: numberOf(body.top_p) ?? null,
    usage: fields.usage,
    metadata: isRecord(body.metadata) ? body.metadata : {},
  };
}

/**
 * The response's id (`resp_…`) from the chat answer's, kept recognisable for the logs; made up
 * when the upstream gave none. Its items' ids derive from it.
 */
export function responseId(chatId: unknown): string {
  const id = stringOf(chatId)?.replace(/^chatcmpl-/, '') || randomUUID().replaceAll('-', '');
  return id.startsWith('resp_') ? id : `resp_${id}`;
}

/** The id of the item at this place in the response's output: `msg_…_1`, `fc_…_2`. */
export function itemId(
  prefix: 'msg' | 'rs' | 'fc' | 'ctc',
  responseId: string,
  index: number,
): string {
  return `${prefix}_${responseId.replace(/^resp_/, '')}_${index}`;
}

/** The chat answer's creation time when it is a plausible one, else now (seconds). */
export function responseCreatedAt(created: unknown): number {
  const n = numberOf(created);
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : Math.floor(Date.now() / 1000);
}

export interface ResponseEnd {
  status: 'completed' | 'incomplete';
  incompleteDetails: JsonObject | null;
}

/** How a response ends for chat's finish_reason: cut short by the limit or a filter, or whole. */
export function responseEnd(finishReason: unknown): ResponseEnd {
  switch (finishReason) {
    case 'length':
      return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content_filter':
      return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
    default:
      return { status: 'completed', incompleteDetails: null };
  }
}

/**
 * Chat's usage in the Responses API's terms (the same counts, other names); null when the
 * upstream reported none. A count that is missing or not a count is 0.
 */
export function responsesUsage(usage: unknown): JsonObject | null {
  if (!isRecord(usage)) return null;
  const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isRecord(usage.completion_tokens_details)
    ? usage.completion_tokens_details
    : {};
  const input = countOf(usage.prompt_tokens);
  const output = countOf(usage.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: countOf(prompt.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: countOf(completion.reasoning_tokens) },
    total_tokens: input + output,
  };
}

function countOf(value: unknown): number {
  const n = numberOf(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
