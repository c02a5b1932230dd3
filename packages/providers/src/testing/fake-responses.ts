import type { ServerResponse } from 'node:http';
import { answerChat, type ChatAnswer, type ChatRequest } from './fake-chat.js';
import { implicitlyCachedTokens } from './fake-prompt-cache.js';
import type { RouteContext } from './fake-routes.js';
import { NamedEvent, writeSse } from './fake-sse.js';
import { fakeSystemWords } from './fake-tokens.js';
import type { FakeFailure, RecordedRequest } from './fake-upstream.js';

/**
 * The fake OpenAI Responses API: `POST …/v1/responses`, answered whole or as OpenAI's event
 * stream, with the chat route's behaviour (fake-chat.ts): it calls the first function tool
 * offered (or the one tool_choice names) unless tool_choice is "none" or the input ends with a
 * function call's output, otherwise answers the reply cut to max_output_tokens words.
 *
 * Token rules (fake-tokens.ts, the input read as the chat messages it stands for):
 * - Prompt: `instructions` count as a system message, a string input as a user message, and each
 *   message, function call and function call output item as a chat message: 3 plus the words
 *   of its text (a string content or its text parts, the output). Other items cost nothing.
 * - Completion and prompt cache: as for chat; reasoning_tokens is always 0.
 * A response is kept unless `store` is false, so `previous_response_id` may name it later; an
 * unknown one is refused as OpenAI refuses it. omitUsage answers `"usage": null`.
 */

type Json = Record<string, unknown>;

/** The response ids each fake has kept, by its shared context (one per started fake). */
const stored = new WeakMap<RouteContext, Set<string>>();

export async function answerResponses(
  ctx: RouteContext,
  record: RecordedRequest,
  res: ServerResponse,
): Promise<void> {
  const body = asJson(record.body);
  let kept = stored.get(ctx);
  if (!kept) stored.set(ctx, (kept = new Set()));
  const problem = requestProblem(body, kept);
  if (problem) return sendInvalidRequest(res, problem);
  const model = String(body.model);
  const id = ctx.nextId('resp_fake');
  if (body.store !== false) kept.add(id);
  const messages = chatMessages(body);
  const chat: ChatRequest = {
    messages,
    tools: functionTools(body.tools),
    tool_choice: toolChoice(body.tool_choice),
    max_tokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined,
  };
  const answer = answerChat(chat, { reply: ctx.reply, toolArguments: ctx.toolArguments, id });
  const cached = implicitlyCachedTokens(ctx, model, fakeSystemWords(messages));
  if (cached > 0) answer.usage.prompt_tokens_details = { cached_tokens: cached };
  if (!ctx.settings.omitUsage) record.usage = answer.usage;
  const response = responseOf(id, body, answer, ctx.settings.omitUsage);
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    return;
  }
  const { framing, eventDelayMs, dropAfterEvents, errorAfter } = ctx.settings;
  const events = streamEvents(response, answer);
  const sent = errorAfter
    ? [...events.slice(0, errorAfter.events), errorEvent(errorAfter.failure, errorAfter.events)]
    : events;
  const drop = () => ctx.drop(res);
  const options = { framing, eventDelayMs, dropAfterEvents, signal: ctx.signal, drop };
  record.streamEnd = await writeSse(res, sent, options);
}

interface Problem {
  message: string;
  param: string | null;
  code: string | null;
}

function requestProblem(body: Json, kept: Set<string>): Problem | undefined {
  if (typeof body.model !== 'string') {
    return { message: "Missing required parameter: 'model'.", param: 'model', code: null };
  }
  if (typeof body.input !== 'string' && !Array.isArray(body.input)) {
    const message = "Invalid type for 'input': expected a string or an array of input items.";
    return { message, param: 'input', code: null };
  }
  const previous = body.previous_response_id;
  if (typeof previous === 'string' && !kept.has(previous)) {
    return {
      message: `Previous response with id '${previous}' not found.`,
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    };
  }
  return undefined;
}

/** The input as chat messages, for the chat route's counting and choices. */
function chatMessages(body: Json): Json[] {
  const messages: Json[] = [];
  if (typeof body.instructions === 'string') {
    messages.push({ role: 'system', content: body.instructions });
  }
  if (typeof body.input === 'string') return [...messages, { role: 'user', content: body.input }];
  for (const item of (body.input as unknown[]).map(asJson)) {
    if (item.type === 'function_call') {
      const fn = { name: item.name, arguments: item.arguments };
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: item.call_id, function: fn }],
      });
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: textOf(item.output) });
    } else if (item.type === 'message' || (item.type === undefined && item.role !== undefined)) {
      messages.push({ role: item.role, content: textOf(item.content) });
    }
  }
  return messages;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => asJson(part).text)
    .filter((text) => typeof text === 'string')
    .join(' ');
}

/** Function tools as chat offers them; built-in tools are never called by the fake. */
function functionTools(tools: unknown): ChatRequest['tools'] {
  if (!Array.isArray(tools)) return undefined;
  return tools
    .map(asJson)
    .filter((tool) => tool.type === 'function')
    .map((tool) => ({ function: { name: tool.name } }));
}

function toolChoice(choice: unknown): unknown {
  const named = asJson(choice);
  return named.type === 'function' ? { function: { name: named.name } } : choice;
}

function responseOf(id: string, body: Json, answer: ChatAnswer, omitUsage: boolean): Json {
  const cut = answer.finishReason === 'length';
  const text = answer.pieces.join('');
  const serial = id.replace(/^resp_/, '');
  const item = answer.toolCall
    ? {
        id: `fc_${serial}`,
        type: 'function_call',
        status: 'completed',
        arguments: text,
        call_id: answer.toolCall.id,
        name: answer.toolCall.name,
      }
    : {
        id: `msg_${serial}`,
        type: 'message',
        status: cut ? 'incomplete' : 'completed',
        content: [{ type: 'output_text', annotations: [], logprobs: [], text }],
        role: 'assistant',
      };
  const usage = answer.usage;
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: cut ? 'incomplete' : 'completed',
    error: null,
    incomplete_details: cut ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output: [item],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    usage: omitUsage
      ? null
      : {
          input_tokens: usage.prompt_tokens,
          input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
          output_tokens: usage.completion_tokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: usage.total_tokens,
        },
    metadata: body.metadata ?? {},
  };
}

/** OpenAI's event stream for a response: one delta per word, then the whole response. */
function streamEvents(response: Json, answer: ChatAnswer): NamedEvent[] {
  const events: NamedEvent[] = [];
  const add = (type: string, fields: Json) =>
    events.push(new NamedEvent(type, { type, sequence_number: events.length, ...fields }));
  const started = { ...response, status: 'in_progress', output: [], usage: null };
  add('response.created', { response: started });
  add('response.in_progress', { response: started });
  const item = (response.output as Json[])[0] as Json;
  const at = { item_id: item.id, output_index: 0 };
  if (answer.toolCall) {
    add('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', arguments: '' },
    });
    for (const delta of answer.pieces)
      add('response.function_call_arguments.delta', { ...at, delta });
    add('response.function_call_arguments.done', { ...at, arguments: item.arguments });
  } else {
    const part = (item.content as Json[])[0] as Json;
    const partAt = { ...at, content_index: 0 };
    add('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    });
    add('response.content_part.added', { ...partAt, part: { ...part, text: '' } });
    for (const delta of answer.pieces) {
      add('response.output_text.delta', { ...partAt, delta, logprobs: [] });
    }
    add('response.output_text.done', { ...partAt, text: part.text, logprobs: [] });
    add('response.content_part.done', { ...partAt, part });
  }
  add('response.output_item.done', { output_index: 0, item });
  add(`response.${String(response.status)}`, { response });
  return events;
}

/** An in-stream failure in the form the API sends it: the fields nested under `error`. */
function errorEvent(failure: FakeFailure, sequence: number): NamedEvent {
  return new NamedEvent('error', {
    type: 'error',
    sequence_number: sequence,
    error: {
      type: failure.type ?? 'server_error',
      code: failure.code ?? null,
      message: failure.message,
      param: null,
    },
  });
}

function sendInvalidRequest(res: ServerResponse, problem: Problem): void {
  const error = { type: 'invalid_request_error', ...problem };
  res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
}

function asJson(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}
