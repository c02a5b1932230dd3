import { randomUUID } from 'node:crypto';
import type { UpstreamUsage } from '../openai-sse/openai-usage.js';
import { anthropicUsage, openAIUsageObject } from './anthropic-usage.js';
import { anthropicError } from './anthropic-error.js';
import { finishReason } from './finish-reason.js';
import { isRecord, stringOf, type JsonObject } from '../json-values.js';

export interface MessageEventConverterOptions {
  /** Leave out the usage-only chunk: the client did not ask for stream usage. */
  stripUsageChunk: boolean;
  /** Keep the generated text, for counting tokens when no usage arrives. */
  collectText: boolean;
  /** The model the client asked for, named on every chunk. */
  model: string;
}

/**
 * Turns Anthropic's stream events (already parsed: from SSE for Anthropic and Vertex AI, from
 * binary frames for Bedrock) into OpenAI `chat.completion.chunk` events, one call per event:
 * message_start → the role chunk; text, thinking and tool-input deltas → content,
 * `reasoning_content` and tool-call argument chunks; message_delta → the finish chunk and, unless
 * stripped, the usage-only chunk; message_stop → `[DONE]`; an `error` event → OpenAI's error
 * event, after which nothing more is sent. Pings and unknown events send nothing.
 */
export class MessageEventConverter {
  readonly #strip: boolean;
  readonly #model: string;
  readonly #created = Math.floor(Date.now() / 1000);
  #id: string | undefined;
  /** The usage message_start reported (the prompt), which message_delta completes. */
  #startUsage: JsonObject = {};
  #usage: UpstreamUsage | undefined;
  #text: string | undefined;
  /** Content block index → tool call index, for the tool_use blocks seen. */
  readonly #toolIndex = new Map<number, number>();
  /** The text every delta chunk of this answer starts with, built once its id is known. */
  #deltaHead: string | undefined;
  readonly #deltaTail: string;
  #started = false;
  #finished = false;
  #failed = false;
  #done = false;

  constructor(options: MessageEventConverterOptions) {
    this.#strip = options.stripUsageChunk;
    this.#model = options.model;
    if (options.collectText) this.#text = '';
    // With include_usage OpenAI puts `"usage": null` on every chunk but the last.
    this.#deltaTail = `,"logprobs":null,"finish_reason":null}]${this.#strip ? '' : ',"usage":null'}}\n\n`;
  }

  get usage(): UpstreamUsage | undefined {
    return this.#usage;
  }

  get completionText(): string | undefined {
    return this.#text;
  }

  /** The upstream sent an `error` event, which went out as OpenAI's error event. */
  get failed(): boolean {
    return this.#failed;
  }

  /** message_stop arrived and `[DONE]` went out. */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the finish chunk went out (the answer is whole even if message_stop is lost). */
  get finished(): boolean {
    return this.#finished;
  }

  /** The OpenAI SSE text to send the client for this event; '' when there is none. */
  convert(event: unknown): string {
    if (this.#failed || this.#done || !isRecord(event)) return '';
    switch (event.type) {
      case 'message_start':
        return this.#messageStart(event);
      case 'content_block_start':
        return this.#blockStart(event);
      case 'content_block_delta':
        return this.#blockDelta(event);
      case 'message_delta':
        return this.#messageDelta(event);
      case 'message_stop':
        this.#done = true;
        return 'data: [DONE]\n\n';
      case 'error':
        return this.#error(event);
      default:
        // ping, content_block_stop and event types added later.
        return '';
    }
  }

  #messageStart(event: JsonObject): string {
    const message = isRecord(event.message) ? event.message : {};
    this.#id ??= `chatcmpl-${stringOf(message.id) ?? randomUUID()}`;
    if (isRecord(message.usage)) this.#startUsage = message.usage;
    return this.#roleChunk();
  }

  /** The role chunk opens the answer once, even if message_start was missing. */
  #roleChunk(): string {
    if (this.#started) return '';
    this.#started = true;
    return this.#delta({ role: 'assistant', content: '' });
  }

  #blockStart(event: JsonObject): string {
    const block = isRecord(event.content_block) ? event.content_block : {};
    const opening = this.#roleChunk();
    if (block.type === 'text') {
      const text = stringOf(block.text);
      return opening + (text ? this.#textDelta('content', text) : '');
    }
    if (block.type !== 'tool_use' || typeof event.index !== 'number') return opening;
    const index = this.#toolIndex.size;
    this.#toolIndex.set(event.index, index);
    const call = {
      index,
      id: stringOf(block.id) ?? `call_${randomUUID()}`,
      type: 'function',
      function: { name: stringOf(block.name) ?? '', arguments: '' },
    };
    return opening + this.#delta({ tool_calls: [call] });
  }

  #blockDelta(event: JsonObject): string {
    const delta = isRecord(event.delta) ? event.delta : {};
    const opening = this.#roleChunk();
    if (delta.type === 'text_delta') {
      return opening + this.#textDelta('content', stringOf(delta.text) ?? '');
    }
    if (delta.type === 'thinking_delta') {
      return opening + this.#textDelta('reasoning_content', stringOf(delta.thinking) ?? '');
    }
    if (delta.type === 'input_json_delta') {
      const index = typeof event.index === 'number' ? this.#toolIndex.get(event.index) : undefined;
      const fragment = stringOf(delta.partial_json) ?? '';
      if (index === undefined || fragment === '') return opening;
      this.#collect(fragment);
      return opening + this.#delta({ tool_calls: [{ index, function: { arguments: fragment } }] });
    }
    return opening;
  }

  #messageDelta(event: JsonObject): string {
    const delta = isRecord(event.delta) ? event.delta : {};
    // message_delta's counts are cumulative and may repeat or update message_start's.
    const counts = isRecord(event.usage) ? event.usage : {};
    this.#usage = anthropicUsage({ ...this.#startUsage, ...counts }) ?? this.#usage;
    if (this.#finished || delta.stop_reason === undefined) return '';
    this.#finished = true;
    let out = this.#roleChunk();
    out += this.#event([
      { index: 0, delta: {}, logprobs: null, finish_reason: finishReason(delta.stop_reason) },
    ]);
    if (!this.#strip && this.#usage) {
      out += this.#event([], { usage: openAIUsageObject(this.#usage) });
    }
    return out;
  }

  #error(event: JsonObject): string {
    this.#failed = true;
    const { message, type, code } = anthropicError(event, 500);
    return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`;
  }

  #textDelta(field: 'content' | 'reasoning_content', text: string): string {
    if (text === '') return '';
    this.#collect(text);
    // The most frequent event by far: written as text rather than serialised as an object.
    return `${this.#head()}{"${field}":${JSON.stringify(text)}}${this.#deltaTail}`;
  }

  /** A chunk of one choice, byte for byte what #event gives for it. */
  #delta(delta: JsonObject): string {
    return this.#head() + JSON.stringify(delta) + this.#deltaTail;
  }

  #head(): string {
    if (this.#deltaHead === undefined) {
      this.#id ??= `chatcmpl-${randomUUID()}`;
      const id = JSON.stringify(this.#id);
      const model = JSON.stringify(this.#model);
      this.#deltaHead = `data: {"id":${id},"object":"chat.completion.chunk","created":${this.#created},"model":${model},"choices":[{"index":0,"delta":`;
    }
    return this.#deltaHead;
  }

  #event(choices: JsonObject[], extra: JsonObject = {}): string {
    this.#id ??= `chatcmpl-${randomUUID()}`;
    const chunk = {
      id: this.#id,
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
