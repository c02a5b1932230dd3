import type { RouteContext } from './fake-routes.js';

/**
 * Automatic prompt caching as OpenAI and Gemini do it, by the fake's rule: a system prompt of
 * IMPLICIT_CACHE_MIN_WORDS words or more that this fake has seen before for the same model is
 * served from the cache. (The real minimum is 1,024 tokens; short test prompts are never cached,
 * so their bills stay plain.)
 */
export const IMPLICIT_CACHE_MIN_WORDS = 50;

/** The system prompts each fake has seen, by its shared context (one per started fake). */
const seenPrompts = new WeakMap<RouteContext, Set<string>>();

/**
 * The tokens of `systemWords` read from the cache (3 + its words, as the fake counts a turn),
 * or 0 the first time, when they are remembered for next time.
 */
export function implicitlyCachedTokens(
  ctx: RouteContext,
  model: string,
  systemWords: string[],
): number {
  if (systemWords.length < IMPLICIT_CACHE_MIN_WORDS) return 0;
  let seen = seenPrompts.get(ctx);
  if (!seen) seenPrompts.set(ctx, (seen = new Set()));
  const key = `${model}\n${systemWords.join(' ')}`;
  if (seen.has(key)) return 3 + systemWords.length;
  seen.add(key);
  return 0;
}
