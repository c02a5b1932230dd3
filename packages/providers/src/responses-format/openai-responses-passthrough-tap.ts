import type { ClientRequest, StreamTap, StreamTapOptions } from '../adapter.js';
import { CUT_SHORT } from '../anthropic/message-stream-tap.js';
import { isRecord, parseJson, stringOf, type JsonObject } from '../json-values.js';
import type { SseError } from '../openai-sse/error-event.js';
import { sseEventData } from '../openai-sse/event-data.js';
import { SseEventSplitter } from '../openai-sse/event-splitter.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import {
  responseCreatedAt,
  responseId,
  responseObject,
  type EchoedRequest,
} from './responses-object.js';
import { responsesFailure } from './responses-sse.js';
import { usageOfResponse } from './responses-usage.js';

const EMPTY = Buffer.alloc(0);

/** The events whose `delta` is generated text, counted when no usage arrives. */
const TEXT_DELTAS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
  'response.custom_tool_call_input.delta',
  'response.reasoning_summary_text.delta',
  'response.reasoning_text.delta',
]);

/** The event type where OpenAI writes it, first in the data: no parse for the many deltas. */
const TYPE_FIRST = /^\s*\{\s*"type"\s*:\s*"([^"\\]+)"/;

/**
 * OpenAI's Responses stream to a Responses client, byte for byte. Only whole events are sent,
 * so that an error can always follow as an event of its own; the ones that matter are read on
 * the way: the usage of response.completed (or .incomplete, .failed), whether the stream failed
 * or ended before its last event, and on request the generated text.
 */
export class OpenAIResponsesPassthroughTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #splitter = new SseEventSplitter();
  readonly #request: EchoedRequest;
  readonly #stores: boolean;
  #text: string | undefined;
  #usage: UpstreamUsage | undefined;
  #failed = false;
  /** A last event (completed, incomplete, failed or error) went by. */
  #ended = false;
  /** Data events seen: OpenAI numbers them from 0, so this is the next sequence_number. */
  #events = 0;
  /** The response as response.created or .in_progress described it, for a failure to name. */
  #response: JsonObject | undefined;

  constructor(options: StreamTapOptions) {
    this.#request = { model: options.request.model, body: options.request.native?.json ?? {} };
    this.#stores = storesResponse(options.request);
    if (options.collectText) this.#text = '';
  }

  get usage(): UpstreamUsage | undefined {
    return this.#usage;
  }

  get completionText(): string | undefined {
    return this.#text;
  }

  get failed(): boolean {
    return this.#failed;
  }

  get continuationId(): string | undefined {
    return this.#stores ? stringOf(this.#response?.id) : undefined;
  }

  push(chunk: Buffer): Buffer {
    const events = this.#splitter.push(chunk);
    if (events.length === 0) return EMPTY;
    for (const event of events) this.#read(event);
    return events.length === 1 ? (events[0] as Buffer) : Buffer.concat(events);
  }

  end(): Buffer {
    // A last event without its blank line still counts, and goes out with one.
    const tail = this.#splitter.flush();
    const out = tail ? [tail, Buffer.from('\n\n')] : [];
    if (tail) this.#read(tail);
    if (!this.#ended) {
      this.#failed = true;
      out.push(this.#failure(CUT_SHORT));
    }
    return out.length > 0 ? Buffer.concat(out) : EMPTY;
  }

  endWithError(error: SseError): Buffer {
    this.#splitter.flush();
    return this.#failure(error);
  }

  #failure(error: SseError): Buffer {
    const response =
      this.#response ??
      responseObject({
        id: responseId(undefined),
        createdAt: responseCreatedAt(undefined),
        status: 'failed',
        request: this.#request,
        output: [],
        usage: null,
      });
    const text = responsesFailure(error, response, this.#events);
    this.#events += 2;
    return Buffer.from(text);
  }

  #read(event: Buffer): void {
    const data = sseEventData(event);
    if (data === undefined) return;
    this.#events += 1;
    const type = TYPE_FIRST.exec(data)?.[1] ?? typeOf(parseJson(data));
    if (type === undefined) return;
    if (TEXT_DELTAS.has(type)) {
      if (this.#text === undefined) return;
      const delta = parseJson(data);
      if (isRecord(delta)) this.#text += stringOf(delta.delta) ?? '';
      return;
    }
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        this.#response = responseOf(parseJson(data)) ?? this.#response;
        return;
      case 'response.failed':
        this.#failed = true;
      // falls through: a failed response may report what it used
      case 'response.completed':
      case 'response.incomplete':
        this.#ended = true;
        this.#usage = usageOfResponse(responseOf(parseJson(data))?.usage) ?? this.#usage;
        return;
      case 'error':
        this.#failed = true;
        this.#ended = true;
    }
  }
}

/** OpenAI keeps a response unless the client says `store: false` (Codex does). */
export function storesResponse(request: ClientRequest): boolean {
  return request.native?.json.store !== false;
}

function typeOf(event: unknown): string | undefined {
  return isRecord(event) ? stringOf(event.type) : undefined;
}

function responseOf(event: unknown): JsonObject | undefined {
  return isRecord(event) && isRecord(event.response) ? event.response : undefined;
}
