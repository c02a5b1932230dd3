import type { SseError } from '../openai-sse/error-event.js';
import { isRecord, numberOf, recordsOf, stringOf, type JsonObject } from '../json-values.js';
import {
  claudeMessageId,
  claudeStopReason,
  claudeToolUseId,
  claudeUsage,
} from './claude-answer.js';
import { claudeSseError } from './claude-sse-error.js';

export interface ClaudeEventWriterOptions {
  /** The model the client asked for, named in message_start. */
  model: string;
}

interface OpenBlock {
  type: 'thinking' | 'text' | 'tool_use';
  index: number;
  /** The OpenAI tool-call index a tool_use block streams the arguments of. */
  call?: number;
}

/**
 * Writes Claude's stream events from OpenAI `chat.completion.chunk`s, one call per chunk:
 * message_start first; reasoning, text and each tool call as content blocks of their own,
 * one open at a time (Claude's blocks do not interleave); at the end message_delta with the
 * stop reason and the usage the last chunks reported, then message_stop. After an error event
 * nothing more is written.
 */
export class ClaudeEventWriter {
  readonly #model: string;
  #started = false;
  #finished = false;
  #failed = false;
  #block: OpenBlock | undefined;
  #blockCount = 0;
  /** OpenAI tool-call indexes seen: a new one starts a tool_use block. */
  readonly #calls = new Set<number>();
  #finishReason: unknown = null;
  #usage: unknown;

  constructor(options: ClaudeEventWriterOptions) {
    this.#model = options.model;
  }

  /** message_start went out. */
  get started(): boolean {
    return this.#started;
  }

  /** message_stop went out. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The Claude SSE text for one parsed OpenAI chunk; '' when there is none. */
  chunk(chunk: JsonObject): string {
    if (this.#finished || this.#failed) return '';
    let out = this.#start(chunk.id);
    // The usage arrives on a chunk of its own (`choices: []`) or on the last content chunk.
    if (isRecord(chunk.usage)) this.#usage = chunk.usage;
    // A Claude message has one answer: other choices (n > 1) are left out.
    const choice = recordsOf(chunk.choices).find((c) => (numberOf(c.index) ?? 0) === 0);
    if (choice === undefined) return out;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const thinking = stringOf(delta.reasoning_content);
    if (thinking) {
      out += this.#delta(
        { type: 'thinking', thinking: '', signature: '' },
        { type: 'thinking_delta', thinking },
      );
    }
    const text = stringOf(delta.content);
    if (text) out += this.#delta({ type: 'text', text: '' }, { type: 'text_delta', text });
    for (const [position, call] of recordsOf(delta.tool_calls).entries()) {
      out += this.#toolCall(call, position);
    }
    const finishReason = choice.finish_reason;
    if (finishReason !== undefined && finishReason !== null) this.#finishReason = finishReason;
    return out;
  }

  /** The end of the OpenAI stream: the open block closes and the message ends, once. */
  finish(): string {
    if (this.#finished || this.#failed) return '';
    const out = this.#start(undefined) + this.#close();
    this.#finished = true;
    const delta = { stop_reason: claudeStopReason(this.#finishReason), stop_sequence: null };
    return (
      out +
      event('message_delta', { delta, usage: claudeUsage(this.#usage) }) +
      event('message_stop', {})
    );
  }

  /** The error event that ends the stream; the Anthropic SDKs raise it as an APIError. */
  error(error: SseError): string {
    if (this.#finished || this.#failed) return '';
    this.#failed = true;
    return claudeSseError(error).toString('utf8');
  }

  #start(chatId: unknown): string {
    if (this.#started) return '';
    this.#started = true;
    const message = {
      id: claudeMessageId(chatId),
      type: 'message',
      role: 'assistant',
      model: this.#model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // OpenAI reports the counts only at the end; message_delta carries them.
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return event('message_start', { message });
  }

  /** A thinking or text delta, in the open block of its type or a new one. */
  #delta(contentBlock: JsonObject & { type: 'thinking' | 'text' }, delta: JsonObject): string {
    let out = '';
    let block = this.#block;
    if (block?.type !== contentBlock.type) {
      out += this.#close();
      block = this.#open(contentBlock.type);
      out += event('content_block_start', { index: block.index, content_block: contentBlock });
    }
    return out + event('content_block_delta', { index: block.index, delta });
  }

  #toolCall(call: JsonObject, position: number): string {
    // Some providers leave out the index of a single call.
    const key = numberOf(call.index) ?? position;
    const fn = isRecord(call.function) ? call.function : {};
    let out = '';
    if (!this.#calls.has(key)) {
      this.#calls.add(key);
      out += this.#close();
      const { index } = this.#open('tool_use', key);
      const contentBlock = {
        type: 'tool_use',
        id: claudeToolUseId(call.id),
        name: stringOf(fn.name) ?? '',
        input: {},
      };
      out += event('content_block_start', { index, content_block: contentBlock });
    }
    const partial = stringOf(fn.arguments);
    // Arguments go to the call being streamed. A provider that went back to an earlier call
    // would send them for a block already closed, which Claude's stream cannot reopen.
    const block = this.#block;
    if (partial && block?.type === 'tool_use' && block.call === key) {
      const delta = { type: 'input_json_delta', partial_json: partial };
      out += event('content_block_delta', { index: block.index, delta });
    }
    return out;
  }

  #open(type: OpenBlock['type'], call?: number): OpenBlock {
    const block: OpenBlock = { type, index: this.#blockCount, call };
    this.#blockCount += 1;
    this.#block = block;
    return block;
  }

  #close(): string {
    const block = this.#block;
    if (block === undefined) return '';
    this.#block = undefined;
    return event('content_block_stop', { index: block.index });
  }
}

/** One Claude SSE event: its data's `type` comes first and names the event. */
function event(type: string, body: JsonObject): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
}
