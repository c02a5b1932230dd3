/**
 * Prices shipped for well-known models, as One API expresses them. A ratio is USD per 1M prompt
 * tokens ÷ 2 (ratio 1 = $0.002 / 1K tokens); a completion ratio is how many prompt tokens one
 * completion token costs. Operators override any of them in the console (ModelRatio, …).
 * Sources: the providers' public price pages; CNY prices converted at ≈7.2 CNY/USD.
 */

/**
 * [prompt, completion, cached prompt, prompt written to the cache] in USD per 1M tokens; the last
 * two only where the provider prices them apart (Gemini charges no cache writes, only storage).
 */
type TokenPrice = readonly [
  prompt: number,
  completion: number,
  cacheRead?: number,
  cacheWrite?: number,
];

/** The same price under every id a model goes by (API id and alias, Bedrock, Vertex AI). */
const forIds = (ids: readonly string[], price: TokenPrice) =>
  Object.fromEntries(ids.map((id) => [id, price] as const));

/** A Claude model under its own id and its Bedrock ids, bare and as inference profiles. */
const forBedrockToo = (id: string, price: TokenPrice) =>
  forIds([id, `anthropic.${id}`, `us.anthropic.${id}`, `global.anthropic.${id}`], price);

const TOKEN_PRICES: Record<string, TokenPrice> = {
  // OpenAI
  'gpt-3.5-turbo': [0.5, 1.5],
  'gpt-4': [30, 60],
  'gpt-4-turbo': [10, 30],
  'gpt-4o': [2.5, 10, 1.25],
  'gpt-4o-2024-08-06': [2.5, 10, 1.25],
  'gpt-4o-2024-11-20': [2.5, 10, 1.25],
  'gpt-4o-mini': [0.15, 0.6, 0.075],
  'gpt-4.1': [2, 8, 0.5],
  'gpt-4.1-mini': [0.4, 1.6, 0.1],
  'gpt-4.1-nano': [0.1, 0.4, 0.025],
  'gpt-5': [1.25, 10, 0.125],
  'gpt-5-mini': [0.25, 2, 0.025],
  'gpt-5-nano': [0.05, 0.4, 0.005],
  // The Codex models Codex CLI picks by default, priced as their base models.
  'gpt-5-codex': [1.25, 10, 0.125],
  'gpt-5.1': [1.25, 10, 0.125],
  'gpt-5.2': [1.75, 14, 0.175],
  'gpt-5.2-codex': [1.75, 14, 0.175],
  'gpt-5.3-codex': [1.75, 14, 0.175],
  o1: [15, 60, 7.5],
  'o1-mini': [1.1, 4.4, 0.55],
  o3: [2, 8, 0.5],
  'o3-mini': [1.1, 4.4, 0.55],
  'o4-mini': [1.1, 4.4, 0.275],
  'text-embedding-3-small': [0.02, 0.02],
  'text-embedding-3-large': [0.13, 0.13],
  'text-embedding-ada-002': [0.1, 0.1],
  'omni-moderation-latest': [0, 0],
  'text-moderation-latest': [0, 0],
  // Speech: billed per input character as a token.
  'tts-1': [15, 15],
  'tts-1-hd': [30, 30],
  'gpt-4o-mini-tts': [0.6, 12],
  // Anthropic (platform.claude.com pricing, December 2026). Cache writes are the 5-minute ones.
  // The Claude 5 generation has no dated snapshots, keeps its ids on Vertex AI, and is called on
  // Bedrock through inference profiles (us., global.).
  ...forBedrockToo('claude-fable-5-2', [8, 40, 0.2, 10]),
  ...forBedrockToo('claude-opus-5-5', [4, 20, 0.2, 5]),
  ...forBedrockToo('claude-sonnet-5-5', [2, 10, 0.1, 2.5]),
  // Haiku 5.5 costs five times as much once a prompt passes 100K tokens: the base tier here.
  ...forBedrockToo('claude-haiku-5-5', [0.1, 0.5, 0.01, 0.125]),
  'claude-fable-5-1': [10, 50, 0.25, 12.5],
  'claude-fable-5': [10, 50, 1, 12.5],
  'claude-opus-5': [5, 25, 0.5, 6.25],
  'claude-sonnet-5': [2, 10, 0.2, 2.5],
  'claude-opus-4-8': [5, 25, 0.5, 6.25],
  'claude-opus-4-7': [5, 25, 0.5, 6.25],
  ...forIds(['claude-opus-4-6', 'anthropic.claude-opus-4-6-v1:0'], [5, 25, 0.5, 6.25]),
  ...forIds(
    [
      'claude-opus-4-5',
      'claude-opus-4-5-20251101',
      'anthropic.claude-opus-4-5-20251101-v1:0',
      'claude-opus-4-5@20251101',
    ],
    [5, 25, 0.5, 6.25],
  ),
  'claude-sonnet-4-6': [3, 15, 0.3, 3.75],
  ...forIds(
    [
      'claude-sonnet-4-5',
      'claude-sonnet-4-5-20250929',
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
    ],
    [3, 15, 0.3, 3.75],
  ),
  ...forIds(
    [
      'claude-haiku-4-5',
      'claude-haiku-4-5-20251001',
      'anthropic.claude-haiku-4-5-20251001-v1:0',
      'claude-haiku-4-5@20251001',
    ],
    [1, 5, 0.1, 1.25],
  ),
  // Opus 4.1 is served only on Bedrock and Vertex AI now, Opus 4 only on Vertex AI.
  ...forIds(
    ['anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1@20250805'],
    [15, 75, 1.5, 18.75],
  ),
  'claude-opus-4@20250514': [15, 75, 1.5, 18.75],
  ...forIds(['claude-sonnet-4-20250514', 'claude-sonnet-4@20250514'], [3, 15, 0.3, 3.75]),
  // Google (ai.google.dev pricing, paid tier; Vertex AI uses the same ids). Prices for prompts up
  // to 200K tokens where longer ones cost more. Gemini 3.8 Flash at its list price: its launch
  // half price ends on 2026-12-31.
  'gemini-3.8-flash': [1.5, 7.5, 0.15],
  'gemini-3.5-flash': [1.5, 9, 0.15],
  'gemini-3.5-flash-lite': [0.3, 2.5],
  'gemini-3.1-pro-preview': [2, 12, 0.2],
  'gemini-2.5-pro': [1.25, 10, 0.125],
  'gemini-2.5-flash': [0.3, 2.5, 0.03],
  'gemini-2.5-flash-lite': [0.1, 0.4, 0.01],
  'gemini-2.0-flash': [0.1, 0.4, 0.025],
  // DeepSeek
  'deepseek-chat': [0.27, 1.1, 0.07],
  'deepseek-reasoner': [0.55, 2.19, 0.14],
  // Alibaba Qwen (DashScope)
  'qwen-turbo': [0.05, 0.2],
  'qwen-plus': [0.4, 1.2],
  'qwen-max': [1.6, 6.4],
  // Zhipu GLM
  'glm-4-plus': [7, 7],
  'glm-4-air': [0.14, 0.14],
  'glm-4-flash': [0, 0],
  // Moonshot
  'moonshot-v1-8k': [1.7, 1.7],
  'moonshot-v1-32k': [3.4, 3.4],
  'moonshot-v1-128k': [8.5, 8.5],
};

const round = (value: number) => Math.round(value * 1e6) / 1e6;
const priced = Object.entries(TOKEN_PRICES);

export const DEFAULT_MODEL_RATIO: Record<string, number> = Object.fromEntries(
  priced.map(([model, [prompt]]) => [model, round(prompt / 2)]),
);

export const DEFAULT_COMPLETION_RATIO: Record<string, number> = Object.fromEntries(
  priced
    .filter(([, [prompt]]) => prompt > 0)
    .map(([model, [prompt, completion]]) => [model, round(completion / prompt)]),
);

/** The models whose price for the given part is listed, as a share of the prompt price. */
function shareOfPrompt(part: 2 | 3): Record<string, number> {
  return Object.fromEntries(
    priced.flatMap(([model, price]) => {
      const usd = price[part];
      return usd === undefined || price[0] === 0 ? [] : [[model, round(usd / price[0])]];
    }),
  );
}

/** What a cached prompt token costs relative to a fresh one (CacheRatio). */
export const DEFAULT_CACHE_RATIO: Record<string, number> = shareOfPrompt(2);

/** What a prompt token written to the cache costs relative to a fresh one (CreateCacheRatio). */
export const DEFAULT_CREATE_CACHE_RATIO: Record<string, number> = shareOfPrompt(3);

/** USD per call (per image for image models). */
export const DEFAULT_MODEL_PRICE: Record<string, number> = {
  'dall-e-2': 0.02,
  'dall-e-3': 0.04,
  'gpt-image-1': 0.04,
  // Whisper is $0.006 a minute; without the duration it is billed as one minute.
  'whisper-1': 0.006,
};
