/** Gemini's reasons for stopping that mean a filter cut the answer (or refused to start it). */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * OpenAI's finish_reason for a Gemini candidate's: MAX_TOKENS is `length`, the filters are
 * `content_filter`, and every other end (STOP, OTHER, a malformed call…) is `stop`, or
 * `tool_calls` when the answer calls functions, as OpenAI reports it.
 */
export function openAIFinishReason(reason: unknown, hasToolCalls: boolean): OpenAIFinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
