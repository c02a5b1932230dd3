import type { SseError } from '../openai-sse/error-event.js';
import { isRecord, numberOf, recordsOf, stringOf, type JsonObject } from '../json-values.js';
import {
  functionCallParts,
  geminiFinishReason,
  geminiResponseId,
  geminiUsageMetadata,
  textParts,
  type AnsweredCall,
} from './gemini-client-answer.js';
import { geminiErrorEvent, geminiSseErrorJson } from './gemini-sse-error.js';

export interface GeminiEventWriterOptions {
  /** The model the client asked for, each event's modelVersion. */
  model: string;
}

/**
 * Writes Gemini's stream (`streamGenerateContent?alt=sse`) from OpenAI `chat.completion.chunk`s,
 * one call per chunk: each chunk's reasoning and text as one event of partial
 * GenerateContentResponse, framed with `\r\n\r\n` as Google frames it. Gemini sends function
 * calls whole, so the streamed arguments are gathered and the calls go in the last event, with
 * the finish reason and the usage the last chunks reported. After an error nothing more is
 * written but the error's bare copy, owed at the end (see gemini-sse-error.ts).
 */
export class GeminiEventWriter {
  readonly #model: string;
  #responseId: string | undefined;
  #finished = false;
  /** The error ending's bare JSON, owed after its event; '' once sent. */
  #owed: string | undefined;
  /** Tool calls by their OpenAI index, in the order they began. */
  readonly #calls = new Map<number, AnsweredCall>();
  #finishReason: unknown = null;
  #usage: unknown;

  constructor(options: GeminiEventWriterOptions) {
    this.#model = options.model;
  }

  /** The Gemini SSE text for one parsed OpenAI chunk; '' when there is none. */
  chunk(chunk: JsonObject): string {
    if (this.#done) return '';
    this.#responseId ??= geminiResponseId(chunk.id);
    // The usage arrives on a chunk of its own (`choices: []`) or on the last content chunk.
    if (isRecord(chunk.usage)) this.#usage = chunk.usage;
    // One candidate is asked for: other choices (n > 1) are left out.
    const choice = recordsOf(chunk.choices).find((c) => (numberOf(c.index) ?? 0) === 0);
    if (choice === undefined) return '';
    const delta = isRecord(choice.delta) ? choice.delta : {};
    for (const [position, call] of recordsOf(delta.tool_calls).entries()) {
      this.#gather(call, position);
    }
    const finishReason = choice.finish_reason;
    if (finishReason !== undefined && finishReason !== null) this.#finishReason = finishReason;
    const parts = textParts(stringOf(delta.reasoning_content) ?? '', stringOf(delta.content) ?? '');
    return parts.length > 0 ? this.#event({ content: { role: 'model', parts }, index: 0 }) : '';
  }

  /** The end of the OpenAI stream: the calls, the finish reason and the usage, once. */
  finish(): string {
    if (this.#owed) return this.#payOwed();
    if (this.#done) return '';
    this.#finished = true;
    const parts = functionCallParts([...this.#calls.values()]);
    const candidate: JsonObject = {
      ...(parts.length > 0 ? { content: { role: 'model', parts } } : {}),
      finishReason: geminiFinishReason(this.#finishReason),
      index: 0,
    };
    const usageMetadata = geminiUsageMetadata(this.#usage);
    return this.#event(candidate, usageMetadata ? { usageMetadata } : {});
  }

  /** The error ending: its event now, its bare copy at finish() (or now, `whole`). */
  error(error: SseError, whole = false): string {
    if (this.#owed) return this.#payOwed();
    if (this.#done) return '';
    const json = geminiSseErrorJson(error);
    this.#owed = json;
    return geminiErrorEvent(json) + (whole ? this.#payOwed() : '');
  }

  get #done(): boolean {
    return this.#finished || this.#owed !== undefined;
  }

  #payOwed(): string {
    const bare = this.#owed ?? '';
    this.#owed = '';
    return bare;
  }

  #gather(call: JsonObject, position: number): void {
    // Some providers leave out the index of a single call.
    const key = numberOf(call.index) ?? position;
    const fn = isRecord(call.function) ? call.function : {};
    const gathered = this.#calls.get(key);
    const args = stringOf(fn.arguments) ?? '';
    if (gathered === undefined) {
      this.#calls.set(key, { id: call.id, name: fn.name, arguments: args });
      return;
    }
    gathered.id ??= call.id;
    gathered.name ??= fn.name;
    gathered.arguments += args;
  }

  #event(candidate: JsonObject, extra: JsonObject = {}): string {
    const response = {
      candidates: [candidate],
      ...extra,
      modelVersion: this.#model,
      responseId: (this.#responseId ??= geminiResponseId(undefined)),
    };
    return `data: ${JSON.stringify(response)}\r\n\r\n`;
  }
}
