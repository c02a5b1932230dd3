/**
 * The most output tokens each Claude model may be asked for (Anthropic's models overview), by
 * model-name prefix, most specific first. The Messages API requires `max_tokens`, while OpenAI
 * clients often send none and expect the model's own limit.
 */
const MAX_OUTPUT: [prefix: string, tokens: number][] = [
  ['claude-opus-4-8', 128_000],
  ['claude-opus-4-7', 128_000],
  ['claude-opus-4-6', 128_000],
  ['claude-sonnet-4-6', 128_000],
  ['claude-opus-4-5', 64_000],
  ['claude-sonnet-4-5', 64_000],
  ['claude-haiku-4-5', 64_000],
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4', 32_000],
  ['claude-sonnet-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-sonnet', 4_096],
  ['claude-3-haiku', 4_096],
];

/** Unknown names (new models, custom deployments) get what every Claude model accepts. */
export const FALLBACK_MAX_OUTPUT = 4_096;

/**
 * The output limit for an upstream model name. Bedrock and Vertex AI spell the same models with
 * a vendor prefix or a version suffix (`anthropic.claude-3-5-haiku-20241022-v1:0`,
 * `claude-3-5-haiku@20241022`), so the name is matched anywhere, not only at its start.
 */
export function maxOutputTokens(model: string): number {
  const name = model.toLowerCase();
  for (const [prefix, tokens] of MAX_OUTPUT) {
    if (name.includes(prefix)) return tokens;
  }
  return FALLBACK_MAX_OUTPUT;
}
