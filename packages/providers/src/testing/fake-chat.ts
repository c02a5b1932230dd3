import {
  endsWithToolResult,
  fakeUsage,
  replyPieces,
  wordPieces,
  type AnswerMeta,
  type FakeUsage,
  type StreamingRequest,
  type StreamUsage,
} from './fake-answer.js';
import { fakeChatPromptTokens } from './fake-tokens.js';

export interface ChatRequest extends StreamingRequest {
  messages?: unknown;
  max_completion_tokens?: number;
  tools?: { function?: { name?: unknown } | null }[];
  tool_choice?: unknown;
}

/** What the fake answers a chat request, before it is written as JSON or as chunks. */
export interface ChatAnswer {
  /** The streamed pieces of the text, or of the tool call's arguments. */
  pieces: string[];
  toolCall?: { id: string; name: string };
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: FakeUsage;
}

const FINGERPRINT = 'fp_f4ke0b5e7a';

/** Calls a tool when the request offers tools (and is not a tool's result), else answers `reply`. */
export function answerChat(
  request: ChatRequest,
  settings: { reply: string; toolArguments: string; id: string },
): ChatAnswer {
  const promptTokens = fakeChatPromptTokens(request.messages);
  const tool = chosenTool(request);
  if (tool !== undefined) {
    const pieces = wordPieces(settings.toolArguments);
    const toolCall = { id: `call_${settings.id.replace(/\W/g, '')}`, name: tool };
    return { pieces, toolCall, finishReason: 'tool_calls', usage: usage(promptTokens, pieces) };
  }
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const { pieces, cut } = replyPieces(settings.reply, limit);
  return { pieces, finishReason: cut ? 'length' : 'stop', usage: usage(promptTokens, pieces) };
}

/** A non-streamed `chat.completion`. */
export function chatCompletion(answer: ChatAnswer, meta: AnswerMeta, withUsage: boolean): object {
  const text = answer.pieces.join('');
  const message = answer.toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: answer.toolCall.id,
            type: 'function',
            function: { name: answer.toolCall.name, arguments: text },
          },
        ],
        refusal: null,
      }
    : { role: 'assistant', content: text, refusal: null };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    ...(withUsage ? { usage: answer.usage } : {}),
    system_fingerprint: FINGERPRINT,
  };
}

/** The `chat.completion.chunk` events of a streamed answer, `[DONE]` last. */
export function chatCompletionChunks(
  answer: ChatAnswer,
  meta: AnswerMeta,
  usageMode: StreamUsage,
): (object | string)[] {
  // With include_usage every chunk carries "usage": null, as OpenAI sends it.
  const chunk = (choice: object | undefined, extra: object = {}) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: FINGERPRINT,
    choices: choice ? [choice] : [],
    ...(usageMode === 'none' ? {} : { usage: null }),
    ...extra,
  });
  const delta = (fields: object, finishReason: string | null = null) => ({
    index: 0,
    delta: fields,
    logprobs: null,
    finish_reason: finishReason,
  });
  const { toolCall } = answer;
  const first = toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            index: 0,
            id: toolCall.id,
            type: 'function',
            function: { name: toolCall.name, arguments: '' },
          },
        ],
        refusal: null,
      }
    : { role: 'assistant', content: '', refusal: null };
  const piece = (text: string) =>
    toolCall ? { tool_calls: [{ index: 0, function: { arguments: text } }] } : { content: text };
  const finish = delta({}, answer.finishReason);
  return [
    chunk(delta(first)),
    ...answer.pieces.map((text) => chunk(delta(piece(text)))),
    usageMode === 'finish' ? chunk(finish, { usage: answer.usage }) : chunk(finish),
    ...(usageMode === 'separate' ? [chunk(undefined, { usage: answer.usage })] : []),
    '[DONE]',
  ];
}

function chosenTool(request: ChatRequest): string | undefined {
  const { tools, tool_choice: choice } = request;
  if (!Array.isArray(tools) || tools.length === 0 || choice === 'none') return undefined;
  if (endsWithToolResult(request.messages)) return undefined;
  const forced = (choice as { function?: { name?: unknown } } | null)?.function?.name;
  const name = typeof forced === 'string' ? forced : tools[0]?.function?.name;
  return typeof name === 'string' ? name : 'tool';
}

function usage(promptTokens: number, pieces: string[]): FakeUsage {
  return fakeUsage(promptTokens, pieces.length);
}
