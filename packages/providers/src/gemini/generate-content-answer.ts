import { createHash } from 'node:crypto';
import { candidateIndex, candidatePieces } from './candidate-parts.js';
import { openAIFinishReason } from './finish-reason.js';
import { geminiUsage, openAIUsageObject } from './gemini-usage.js';
import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';
import { toolCallId } from './tool-call-id.js';

/**
 * A whole Gemini GenerateContentResponse as OpenAI's `chat.completion`: a choice per candidate;
 * a prompt Gemini refused to answer (`promptFeedback.blockReason`, no candidates) is one empty
 * choice that finished with `content_filter`.
 */
export function toChatCompletion(response: unknown, model: string, raw: string): JsonObject {
  const body = isRecord(response) ? response : {};
  const responseId = stringOf(body.responseId);
  const candidates = recordsOf(body.candidates);
  const choices = candidates.map((candidate, i) => {
    return choice(candidate, candidateIndex(candidate, i), responseId);
  });
  if (choices.length === 0) {
    const blocked = isRecord(body.promptFeedback) && body.promptFeedback.blockReason !== undefined;
    choices.push({
      index: 0,
      message: { role: 'assistant', content: '', refusal: null },
      logprobs: null,
      finish_reason: blocked ? 'content_filter' : 'stop',
    });
  }
  const usage = geminiUsage(body.usageMetadata);
  return {
    id: `chatcmpl-${responseId ?? createHash('sha256').update(raw).digest('base64url').slice(0, 24)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices,
    ...(usage ? { usage: openAIUsageObject(usage, body.usageMetadata) } : {}),
  };
}

function choice(candidate: JsonObject, index: number, responseId: string | undefined): JsonObject {
  let content = '';
  let reasoning = '';
  const toolCalls: JsonObject[] = [];
  for (const piece of candidatePieces(candidate)) {
    if (piece.kind === 'text') content += piece.text;
    else if (piece.kind === 'reasoning') reasoning += piece.text;
    else {
      const id =
        piece.id ??
        toolCallId({
          responseId,
          choice: index,
          call: toolCalls.length,
          name: piece.name,
          args: piece.args,
        });
      toolCalls.push({
        id,
        type: 'function',
        function: { name: piece.name, arguments: piece.args },
      });
    }
  }
  const message: JsonObject = {
    role: 'assistant',
    content: content === '' && toolCalls.length > 0 ? null : content,
    refusal: null,
  };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    index,
    message,
    logprobs: null,
    finish_reason: openAIFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
}

/** The generated text of a whole answer (content, reasoning, call arguments), for counting. */
export function generatedText(response: unknown): string {
  const body = isRecord(response) ? response : {};
  let text = '';
  for (const candidate of recordsOf(body.candidates)) {
    for (const piece of candidatePieces(candidate))
      text += piece.kind === 'call' ? piece.args : piece.text;
  }
  return text;
}
