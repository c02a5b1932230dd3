import type { AnswerReader } from '../adapter.js';
import { anthropicClientError } from './anthropic-error.js';
import { anthropicUsage } from './anthropic-usage.js';
import { isRecord, parseJson } from '../json-values.js';
import { answerText, toChatCompletion } from './message-answer.js';
import { MessageStreamTap } from './message-stream-tap.js';

/**
 * Reads Anthropic Messages API answers (whole, streamed, errors) into OpenAI's format. Vertex AI
 * serves Claude with the same answers and reads them here too.
 */
export const anthropicReader: AnswerReader = {
  usageOf(body) {
    const parsed = parseJson(body);
    return isRecord(parsed) ? anthropicUsage(parsed.usage) : undefined;
  },

  clientAnswer(body, request) {
    const answer = toChatCompletion(parseJson(body.toString('utf8')), request.model);
    return Buffer.from(JSON.stringify(answer));
  },

  streamTap: (options) => new MessageStreamTap(options),

  completionTextOf: (body) => answerText(parseJson(body)),

  clientError: anthropicClientError,
};
