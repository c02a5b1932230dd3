import {
  fakeUsage,
  replyPieces,
  type AnswerMeta,
  type FakeUsage,
  type StreamingRequest,
  type StreamUsage,
} from './fake-answer.js';
import { fakeInputTokens } from './fake-tokens.js';

export interface CompletionRequest extends StreamingRequest {
  prompt?: unknown;
}

/** A legacy completions answer: the same reply to every prompt of the request. */
export interface CompletionAnswer {
  prompts: number;
  pieces: string[];
  finishReason: 'stop' | 'length';
  usage: FakeUsage;
}

export function answerCompletion(request: CompletionRequest, reply: string): CompletionAnswer {
  const promptTokens = fakeInputTokens(request.prompt ?? '');
  const prompts = Math.max(1, promptTokens.length);
  const { pieces, cut } = replyPieces(reply, request.max_tokens);
  const sum = promptTokens.reduce((total, tokens) => total + tokens, 0);
  const usage = fakeUsage(sum, pieces.length * prompts);
  return { prompts, pieces, finishReason: cut ? 'length' : 'stop', usage };
}

/** A non-streamed `text_completion`. */
export function textCompletion(
  answer: CompletionAnswer,
  meta: AnswerMeta,
  withUsage: boolean,
): object {
  const text = answer.pieces.join('');
  const choices = Array.from({ length: answer.prompts }, (_, index) => ({
    text,
    index,
    logprobs: null,
    finish_reason: answer.finishReason,
  }));
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    choices,
    ...(withUsage ? { usage: answer.usage } : {}),
  };
}

/** The `text_completion` events of a streamed answer, prompt after prompt, `[DONE]` last. */
export function textCompletionChunks(
  answer: CompletionAnswer,
  meta: AnswerMeta,
  usageMode: StreamUsage,
): (object | string)[] {
  const chunk = (choice: object | undefined, extra: object = {}) => ({
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    choices: choice ? [choice] : [],
    model: meta.model,
    ...(usageMode === 'none' ? {} : { usage: null }),
    ...extra,
  });
  const choice = (index: number, text: string, finishReason: string | null = null) => ({
    text,
    index,
    logprobs: null,
    finish_reason: finishReason,
  });
  const events: (object | string)[] = [];
  for (let index = 0; index < answer.prompts; index += 1) {
    for (const text of answer.pieces) events.push(chunk(choice(index, text)));
    const last = index === answer.prompts - 1 && usageMode === 'finish';
    const finish = choice(index, '', answer.finishReason);
    events.push(last ? chunk(finish, { usage: answer.usage }) : chunk(finish));
  }
  if (usageMode === 'separate') events.push(chunk(undefined, { usage: answer.usage }));
  events.push('[DONE]');
  return events;
}
