import {
  countChatPrompt,
  countCompletionPrompt,
  countEmbeddingInput,
  countText,
  type ChatPromptRequest,
  type PromptInput,
  type Usage,
} from '@chat-api/billing';
import type { ClientRequest } from '@chat-api/providers';
import { rerankDocumentText } from './rerank-request.js';

/** Counting is synchronous; past this size a prompt is estimated (~4 bytes a token) instead. */
const COUNT_LIMIT_BYTES = 1_000_000;

/**
 * Usage counted with the model's tokenizer when the upstream reported none (DESIGN §6): a
 * server that ignores stream_options, or a stream cut short by either side.
 */
export function countedUsage(client: ClientRequest, completionText: string): Usage {
  return {
    promptTokens: promptTokens(client),
    completionTokens: completionText ? countText(completionText, client.model) : 0,
  };
}

function promptTokens(client: ClientRequest): number {
  const json = client.json;
  // An upload (audio, images to edit) is billed by the call or the image: no prompt to count.
  if (!json) return 0;
  if (client.raw.length > COUNT_LIMIT_BYTES) return Math.ceil(client.raw.length / 4);
  // The request's own path: a client format other than OpenAI's was converted to a chat request.
  switch (client.path) {
    case '/v1/chat/completions':
      // The counters take unvalidated client JSON and skip what has the wrong shape.
      return countChatPrompt(json as unknown as ChatPromptRequest, client.model);
    case '/v1/completions':
      return countCompletionPrompt(json.prompt as PromptInput, client.model);
    case '/v1/embeddings':
    case '/v1/moderations':
      return countEmbeddingInput(json.input as PromptInput, client.model);
    case '/v1/rerank':
      // The query and each document, checked at the edge (rerank-request.ts).
      return (
        countText(json.query as string, client.model) +
        countEmbeddingInput(documentTexts(json.documents), client.model)
      );
    default:
      return 0;
  }
}

function documentTexts(documents: unknown): string[] {
  return Array.isArray(documents) ? documents.map((item) => rerankDocumentText(item) ?? '') : [];
}
