import { describeValue } from './client-numbers.js';
import { RelayBadRequest } from './relay-bad-request.js';

/** More documents than any reranker takes in one call (Cohere's limit is 10,000 too). */
export const MAX_RERANK_DOCUMENTS = 10_000;

/**
 * A rerank body (Cohere's and Jina's shape) checked before any hold: the query and the documents
 * are what the hold estimates and the bill counts, `top_n` a whole number. 400 naming the field.
 */
export function checkRerankRequest(body: Readonly<Record<string, unknown>>): void {
  if (typeof body.query !== 'string') {
    throw invalid('query', '`query` must be a string.');
  }
  const { documents, top_n: topN } = body;
  if (!Array.isArray(documents) || documents.length === 0) {
    throw invalid(
      'documents',
      '`documents` must be a non-empty array of strings or {text} objects.',
    );
  }
  if (documents.length > MAX_RERANK_DOCUMENTS) {
    throw invalid(
      'documents',
      `\`documents\` holds ${documents.length} items; at most ${MAX_RERANK_DOCUMENTS} are taken.`,
    );
  }
  const bad = documents.findIndex((document) => rerankDocumentText(document) === undefined);
  if (bad !== -1) {
    throw invalid(
      'documents',
      `\`documents[${bad}]\` must be a string or an object with a string \`text\`.`,
    );
  }
  if (topN != null && !isWholeInRange(topN, 1, MAX_RERANK_DOCUMENTS)) {
    const range = `from 1 to ${MAX_RERANK_DOCUMENTS}`;
    throw invalid(
      'top_n',
      `\`top_n\` must be a whole number ${range} (got ${describeValue(topN)}).`,
    );
  }
}

function isWholeInRange(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** A document's text: the string itself or its `text`; undefined for anything else. */
export function rerankDocumentText(document: unknown): string | undefined {
  if (typeof document === 'string') return document;
  if (typeof document !== 'object' || document === null) return undefined;
  const { text } = document as { text?: unknown };
  return typeof text === 'string' ? text : undefined;
}

function invalid(field: string, message: string): RelayBadRequest {
  return new RelayBadRequest(message, 'invalid_request_error', field);
}
