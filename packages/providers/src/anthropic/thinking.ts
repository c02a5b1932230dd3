import { isRecord, numberOf, type JsonObject } from '../json-values.js';

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/** Thinking budgets for OpenAI's `reasoning_effort` levels ('none' asks for no thinking). */
const EFFORT_BUDGET: Record<string, number> = {
  minimal: MIN_THINKING_BUDGET,
  low: 2048,
  medium: 8192,
  high: 16_384,
};

/**
 * The thinking budget a request asks for: an Anthropic-style `thinking` object the client sent
 * as it is (`{type:'enabled', budget_tokens}`), else its `reasoning_effort`; undefined for none.
 */
export function requestedBudget(json: JsonObject): number | undefined {
  const thinking = json.thinking;
  if (isRecord(thinking)) {
    if (thinking.type !== 'enabled') return undefined;
    const budget = numberOf(thinking.budget_tokens);
    return budget === undefined
      ? EFFORT_BUDGET.medium
      : Math.max(MIN_THINKING_BUDGET, Math.floor(budget));
  }
  const effort = json.reasoning_effort;
  return typeof effort === 'string' ? EFFORT_BUDGET[effort] : undefined;
}

export interface ThinkingPlan {
  thinking: { type: 'enabled'; budget_tokens: number };
  maxTokens: number;
}

/**
 * Fits a thinking budget under `max_tokens`, which Anthropic requires to be larger than the
 * budget. OpenAI's reasoning models count reasoning inside the client's limit, so the budget
 * shrinks to fit (never below Anthropic's minimum); only when the limit cannot hold even the
 * minimum is `max_tokens` raised to leave the client its asked-for answer length.
 */
export function planThinking(budget: number, maxTokens: number): ThinkingPlan {
  let fitted = Math.min(budget, maxTokens - 1);
  if (fitted < MIN_THINKING_BUDGET) fitted = MIN_THINKING_BUDGET;
  const total = maxTokens > fitted ? maxTokens : fitted + maxTokens;
  return { thinking: { type: 'enabled', budget_tokens: fitted }, maxTokens: total };
}
