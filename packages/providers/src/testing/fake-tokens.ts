/**
 * How the fake upstream counts, so that billing tests can derive exact numbers:
 *
 * - A token is a word: a run of non-whitespace characters.
 * - Chat prompt: each message costs 3 plus the words of its text (a string `content`, or
 *   the `text` of each content part). Tools, images and names cost nothing.
 * - Chat prompt cache (fake-prompt-cache.ts): a long system message seen before is reported as
 *   `prompt_tokens_details.cached_tokens`.
 * - Chat completion: the words of the answer after the `max_tokens` cut (one streamed
 *   content chunk per word), or the words of the tool call's arguments.
 * - Legacy completions: the words of each prompt string, or the length of each token
 *   array; the completion is the words of every answer.
 * - Embeddings: the words of each input string, or the length of each token array.
 * - Rerank: the words of the query and of every document, reported as `total_tokens` (as Jina).
 * - Transcriptions and translations last ceil(file bytes / 16 000) seconds (128 kbit/s).
 */
export function fakeWords(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Prompt tokens of a chat request's `messages`. */
export function fakeChatPromptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return messages.reduce<number>((sum, message: { content?: unknown } | null) => {
    return sum + 3 + fakeWords(messageText(message?.content)).length;
  }, 0);
}

/** The words of a chat request's leading system (or developer) message; none without one. */
export function fakeSystemWords(messages: unknown): string[] {
  const first = Array.isArray(messages)
    ? (messages[0] as { role?: unknown; content?: unknown })
    : null;
  if (first?.role !== 'system' && first?.role !== 'developer') return [];
  return fakeWords(messageText(first.content));
}

/** The inputs of a legacy `prompt` or an embeddings `input`: texts or token arrays. */
export function fakeInputs(input: unknown): (string | number[])[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return [];
  // One array of numbers is one tokenized input; otherwise each item is an input.
  if (input.every((item) => typeof item === 'number')) return [input as number[]];
  return input.map((item: unknown) =>
    typeof item === 'string' ? item : Array.isArray(item) ? (item as number[]) : '',
  );
}

/** Tokens of each input of a legacy `prompt` or an embeddings `input`. */
export function fakeInputTokens(input: unknown): number[] {
  return fakeInputs(input).map((item) =>
    typeof item === 'string' ? fakeWords(item).length : item.length,
  );
}

/** How long the fake takes an uploaded audio file of this size to last. */
export function fakeAudioSeconds(bytes: number): number {
  return Math.ceil(bytes / 16_000);
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown } | null) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join(' ');
}
