import { randomUUID } from 'node:crypto';
import type { StreamTap, StreamTapOptions } from '../adapter.js';
import { sseErrorEvent, type SseError } from '../openai-sse/error-event.js';
import { sseEventData } from '../openai-sse/event-data.js';
import { SseEventSplitter } from '../openai-sse/event-splitter.js';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { candidateIndex, candidatePieces } from './candidate-parts.js';
import { openAIFinishReason } from './finish-reason.js';
import { geminiError } from './gemini-error.js';
import { geminiUsage, openAIUsageObject } from './gemini-usage.js';
import {
  isRecord,
  numberOf,
  parseJson,
  recordsOf,
  stringOf,
  type JsonObject,
} from '../json-values.js';
import { toolCallId } from './tool-call-id.js';

const EMPTY = Buffer.alloc(0);
const DONE = Buffer.from('data: [DONE]\n\n');

interface ChoiceState {
  toolCalls: number;
  finished: boolean;
}

/**
 * Turns Gemini's `streamGenerateContent?alt=sse` (each event a partial GenerateContentResponse,
 * framed with `\r\n\r\n`) into OpenAI chat.completion.chunk events as they arrive: a first chunk
 * with the role, text and reasoning deltas, each function call whole (Gemini sends calls whole),
 * a finish chunk per choice, the usage chunk unless stripped (the usage that comes with the
 * finish counts), then `[DONE]`. An `{"error":…}` event becomes OpenAI's error event.
 */
export class GenerateContentStreamTap implements StreamTap {
  readonly contentType = 'text/event-stream';
  readonly #splitter = new SseEventSplitter();
  readonly #strip: boolean;
  readonly #model: string;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #choices = new Map<number, ChoiceState>();
  #id: string | undefined;
  #responseId: string | undefined;
  #metadata: unknown;
  #usage: UpstreamUsage | undefined;
  #text: string | undefined;
  #failed = false;
  /** An event has said the answer is over (a finish reason, a refused prompt). */
  #final = false;

  constructor(options: StreamTapOptions) {
    this.#strip = options.stripUsageChunk;
    this.#model = options.request.model;
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

  push(chunk: Buffer): Buffer {
    const out: string[] = [];
    for (const event of this.#splitter.push(chunk)) this.#read(event, out);
    return out.length > 0 ? Buffer.from(out.join('')) : EMPTY;
  }

  end(): Buffer {
    const out: string[] = [];
    const tail = this.#splitter.flush();
    // A last event without its blank line still counts: some relays end that way.
    if (tail) this.#read(tail, out);
    if (this.#failed) return Buffer.from(out.join(''));
    if (!this.#strip && this.#usage) {
      out.push(this.#event([], { usage: openAIUsageObject(this.#usage, this.#metadata) }));
    }
    return Buffer.concat([Buffer.from(out.join('')), DONE]);
  }

  endWithError(error: SseError): Buffer {
    // Only whole events ever reach the client, so the error cannot land inside one.
    this.#splitter.flush();
    return sseErrorEvent(error);
  }

  #read(event: Buffer, out: string[]): void {
    if (this.#failed) return;
    const data = sseEventData(event);
    if (data === undefined) return;
    const response = parseJson(data);
    if (!isRecord(response)) return;
    if (response.error !== undefined) {
      this.#failed = true;
      const status = isRecord(response.error) ? numberOf(response.error.code) : undefined;
      const { message, type, code } = geminiError(response, status ?? 500);
      out.push(sseErrorEvent({ message, type, code }).toString());
      return;
    }
    this.#responseId ??= stringOf(response.responseId);
    this.#id ??= `chatcmpl-${this.#responseId ?? randomUUID()}`;
    const candidates = recordsOf(response.candidates);
    const feedback = response.promptFeedback;
    const blocked = isRecord(feedback) && feedback.blockReason !== undefined;
    this.#final ||= blocked || candidates.some((c) => c.finishReason !== undefined);
    // Gemini repeats a partial usage (the prompt alone) on early events: only the counts that
    // come with the end are the answer's, or a stream cut short would bill no completion.
    const usage = this.#final ? geminiUsage(response.usageMetadata) : undefined;
    if (usage) {
      this.#usage = usage;
      this.#metadata = response.usageMetadata;
    }
    candidates.forEach((candidate, i) => {
      this.#candidate(candidate, candidateIndex(candidate, i), out);
    });
    if (candidates.length === 0 && blocked) {
      // The prompt was refused: one empty choice, filtered.
      const state = this.#choice(0, out);
      if (!state.finished) this.#finish(0, state, 'content_filter', out);
    }
  }

  #candidate(candidate: JsonObject, index: number, out: string[]): void {
    const state = this.#choice(index, out);
    if (state.finished) return;
    for (const piece of candidatePieces(candidate)) {
      if (piece.kind === 'call') {
        const id =
          piece.id ??
          toolCallId({
            responseId: this.#responseId,
            choice: index,
            call: state.toolCalls,
            name: piece.name,
            args: piece.args,
          });
        const call = {
          index: state.toolCalls++,
          id,
          type: 'function',
          function: { name: piece.name, arguments: piece.args },
        };
        this.#collect(piece.args);
        out.push(this.#delta(index, { tool_calls: [call] }));
      } else {
        this.#collect(piece.text);
        const field = piece.kind === 'text' ? 'content' : 'reasoning_content';
        out.push(this.#delta(index, { [field]: piece.text }));
      }
    }
    if (candidate.finishReason !== undefined) {
      this.#finish(
        index,
        state,
        openAIFinishReason(candidate.finishReason, state.toolCalls > 0),
        out,
      );
    }
  }

  /** The choice's state; its first chunk (the role) goes out when it is first seen. */
  #choice(index: number, out: string[]): ChoiceState {
    let state = this.#choices.get(index);
    if (!state) {
      state = { toolCalls: 0, finished: false };
      this.#choices.set(index, state);
      out.push(this.#delta(index, { role: 'assistant', content: '' }));
    }
    return state;
  }

  #finish(index: number, state: ChoiceState, reason: string, out: string[]): void {
    state.finished = true;
    out.push(this.#event([{ index, delta: {}, logprobs: null, finish_reason: reason }]));
  }

  #delta(index: number, delta: JsonObject): string {
    return this.#event([{ index, delta, logprobs: null, finish_reason: null }]);
  }

  #event(choices: JsonObject[], extra: JsonObject = {}): string {
    const chunk = {
      id: this.#id ?? `chatcmpl-${randomUUID()}`,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices,
      // With include_usage OpenAI puts `"usage": null` on every chunk but the last.
      ...(this.#strip ? {} : { usage: null }),
      ...extra,
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  #collect(text: string): void {
    if (this.#text !== undefined) this.#text += text;
  }
}
