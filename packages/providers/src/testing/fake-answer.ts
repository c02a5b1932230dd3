/** The `usage` object of OpenAI's text answers. */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

/** Where a stream reports usage: nowhere, on a chunk of its own, or on the finish chunk. */
export type StreamUsage = 'none' | 'separate' | 'finish';

/** What one answer needs besides the request: its id and creation time. */
export interface AnswerMeta {
  id: string;
  created: number;
  model: string;
}

/** Request fields the text endpoints share. */
export interface StreamingRequest {
  model?: string;
  max_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
}

export function fakeUsage(promptTokens: number, completionTokens: number): FakeUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/**
 * The text cut before each word, its whitespace kept, so the pieces joined give it back:
 * `Hello`, ` from`, ` the`… One piece is one token (see fake-tokens.ts).
 */
export function wordPieces(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  const trailing = /\s*$/.exec(text)?.[0] ?? '';
  if (trailing && pieces.length > 0) pieces[pieces.length - 1] += trailing;
  return pieces;
}

/** The reply's pieces, cut to `limit` tokens when there is one. */
export function replyPieces(reply: string, limit: number | undefined) {
  const pieces = wordPieces(reply);
  const kept = limit === undefined ? pieces : pieces.slice(0, Math.max(0, limit));
  return { pieces: kept, cut: kept.length < pieces.length };
}
