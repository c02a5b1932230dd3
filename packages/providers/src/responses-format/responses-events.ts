import { isRecord, numberOf, recordsOf, stringOf, type JsonObject } from '../json-values.js';
import type { SseError } from '../openai-sse/error-event.js';
import {
  itemId,
  responseCreatedAt,
  responseEnd,
  responseId,
  responseObject,
  responsesUsage,
  type EchoedRequest,
  type ResponseStatus,
} from './responses-object.js';
import { StreamedOutput } from './responses-output.js';
import { customToolNames } from './responses-request.js';
import { responsesEvent, responsesFailure } from './responses-sse.js';

/**
 * Writes the Responses API's stream events from OpenAI `chat.completion.chunk`s, one call per
 * chunk: response.created and response.in_progress first; reasoning, text and each tool call as
 * output items (responses-output.ts); at the end response.completed (or response.incomplete)
 * with the whole response and the usage the last chunks reported. Every event has the next
 * sequence_number. After the end or an error nothing more is written.
 */
export class ResponsesEventWriter {
  readonly #request: EchoedRequest;
  #sequence = 0;
  #id = '';
  #createdAt = 0;
  #started = false;
  #ended = false;
  readonly #output: StreamedOutput;
  #finishReason: unknown = null;
  #usage: unknown;

  constructor(request: EchoedRequest) {
    this.#request = request;
    this.#output = new StreamedOutput(
      (type, body) => this.#event(type, body),
      (prefix, index) => itemId(prefix, this.#id, index),
      customToolNames(request.body),
    );
  }

  /** The Responses SSE text for one parsed chat chunk; '' when there is none. */
  chunk(chunk: JsonObject): string {
    if (this.#ended) return '';
    let out = this.#start(chunk);
    // The usage arrives on a chunk of its own (`choices: []`) or on the last content chunk.
    if (isRecord(chunk.usage)) this.#usage = chunk.usage;
    // A response has one answer: other choices (n > 1) are left out.
    const choice = recordsOf(chunk.choices).find((c) => (numberOf(c.index) ?? 0) === 0);
    if (choice === undefined) return out;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const reasoning = stringOf(delta.reasoning_content);
    if (reasoning) out += this.#output.reasoningDelta(reasoning);
    const text = stringOf(delta.content);
    if (text) out += this.#output.messageDelta('output_text', text);
    const refusal = stringOf(delta.refusal);
    if (refusal) out += this.#output.messageDelta('refusal', refusal);
    for (const [position, call] of recordsOf(delta.tool_calls).entries()) {
      out += this.#output.toolCall(call, position);
    }
    const finishReason = choice.finish_reason;
    if (finishReason !== undefined && finishReason !== null) this.#finishReason = finishReason;
    return out;
  }

  /** The end of the chat stream: the open item is done and the response ends, once. */
  finish(): string {
    if (this.#ended) return '';
    const end = responseEnd(this.#finishReason);
    const out = this.#start(undefined) + this.#output.close(end.status);
    this.#ended = true;
    const response = this.#response(end.status, end.incompleteDetails);
    return out + this.#event(`response.${end.status}`, { response });
  }

  /** The events that end the stream with this failure, the response so far included. */
  error(error: SseError): string {
    if (this.#ended) return '';
    const out = this.#start(undefined);
    this.#ended = true;
    const failure = responsesFailure(error, this.#response('failed'), this.#sequence);
    this.#sequence += 2;
    return out + failure;
  }

  #start(chunk: JsonObject | undefined): string {
    if (this.#started) return '';
    this.#started = true;
    this.#id = responseId(chunk?.id);
    this.#createdAt = responseCreatedAt(chunk?.created);
    const response = this.#response('in_progress');
    return (
      this.#event('response.created', { response }) +
      this.#event('response.in_progress', { response })
    );
  }

  #response(status: ResponseStatus, incompleteDetails: JsonObject | null = null): JsonObject {
    return responseObject({
      id: this.#id,
      createdAt: this.#createdAt,
      status,
      incompleteDetails,
      request: this.#request,
      output: this.#output.items,
      // Chat streams report the usage last.
      usage: status === 'in_progress' ? null : responsesUsage(this.#usage),
    });
  }

  #event(type: string, body: JsonObject): string {
    return responsesEvent(type, this.#sequence++, body);
  }
}
