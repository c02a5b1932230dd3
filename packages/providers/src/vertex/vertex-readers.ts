import type { AnswerReader } from '../adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { geminiReader } from '../gemini/gemini-reader.js';
import { vertexClientError } from './vertex-error.js';

/** Claude's answers on Vertex AI: Anthropic's, but refused by Vertex AI's front end too. */
export const vertexClaudeReader: AnswerReader = {
  ...anthropicReader,
  clientError: vertexClientError,
};

/** Gemini's answers on Vertex AI, refusals naming no project. */
export const vertexGeminiReader: AnswerReader = {
  ...geminiReader,
  clientError: vertexClientError,
};
