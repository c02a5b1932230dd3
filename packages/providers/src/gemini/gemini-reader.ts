import type { AnswerReader, ClientRequest } from '../adapter.js';
import { toOpenAIEmbeddings } from './embeddings.js';
import { generatedText, toChatCompletion } from './generate-content-answer.js';
import { geminiClientError } from './gemini-error.js';
import { GenerateContentStreamTap } from './generate-content-stream-tap.js';
import { geminiUsage } from './gemini-usage.js';
import { isRecord, parseJson } from '../json-values.js';

/**
 * Reads Gemini's answers (generateContent, its stream, batchEmbedContents) into OpenAI's format.
 * Vertex AI serves Gemini models with the same answers and reads them here too.
 */
export const geminiReader: AnswerReader = {
  usageOf(body) {
    const parsed = parseJson(body);
    return isRecord(parsed) ? geminiUsage(parsed.usageMetadata) : undefined;
  },

  clientAnswer(body, request) {
    const parsed = parseJson(body.toString('utf8'));
    const answer = isEmbeddings(request)
      ? toOpenAIEmbeddings(parsed, request.json ?? {}, request.model)
      : toChatCompletion(parsed, request.model, body.toString('utf8'));
    return Buffer.from(JSON.stringify(answer));
  },

  streamTap: (options) => new GenerateContentStreamTap(options),

  completionTextOf: (body) => generatedText(parseJson(body)),

  clientError: geminiClientError,
};

function isEmbeddings(request: ClientRequest): boolean {
  return request.path.split('?')[0]?.endsWith('/embeddings') ?? false;
}
