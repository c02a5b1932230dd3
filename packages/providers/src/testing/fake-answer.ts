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

/**
 * Whether a conversation ends with a tool's result, which a model answers with text: the fakes
 * call an offered tool only on a turn that does not, so an agent's tool loop ends. Reads the
 * last message of an OpenAI (`role: tool`), Claude (`tool_result` blocks) or Gemini
 * (`functionResponse` parts) conversation.
 */
export function endsWithToolResult(messages: unknown): boolean {
  if (!Array.isArray(messages)) return false;
  const last: unknown = messages.at(-1);
  if (typeof last !== 'object' || last === null) return false;
  const message = last as { role?: unknown; content?: unknown; parts?: unknown };
  if (message.role === 'tool') return true;
  const blocks = Array.isArray(message.content) ? message.content : message.parts;
  return (
    Array.isArray(blocks) &&
    blocks.some(
      (block: unknown) =>
        typeof block === 'object' &&
        block !== null &&
        ((block as { type?: unknown }).type === 'tool_result' || 'functionResponse' in block),
    )
  );
}
