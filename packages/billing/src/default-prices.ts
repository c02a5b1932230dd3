/**
 * Prices shipped for well-known models, as One API expresses them. A ratio is USD per 1M prompt
 * tokens ÷ 2 (ratio 1 = $0.002 / 1K tokens); a completion ratio is how many prompt tokens one
 * completion token costs. Operators override any of them in the console (ModelRatio, …).
 * Sources: the providers' public price pages; CNY prices converted at ≈7.2 CNY/USD.
 */

/** [prompt USD per 1M tokens, completion USD per 1M tokens] */
const TOKEN_PRICES: Record<string, readonly [number, number]> = {
  // OpenAI
  'gpt-3.5-turbo': [0.5, 1.5],
  'gpt-4': [30, 60],
  'gpt-4-turbo': [10, 30],
  'gpt-4o': [2.5, 10],
  'gpt-4o-2024-08-06': [2.5, 10],
  'gpt-4o-2024-11-20': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-5': [1.25, 10],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
  o1: [15, 60],
  'o1-mini': [1.1, 4.4],
  o3: [2, 8],
  'o3-mini': [1.1, 4.4],
  'o4-mini': [1.1, 4.4],
  'text-embedding-3-small': [0.02, 0.02],
  'text-embedding-3-large': [0.13, 0.13],
  'text-embedding-ada-002': [0.1, 0.1],
  'omni-moderation-latest': [0, 0],
  'text-moderation-latest': [0, 0],
  // Speech: billed per input character as a token.
  'tts-1': [15, 15],
  'tts-1-hd': [30, 30],
  'gpt-4o-mini-tts': [0.6, 12],
  // Anthropic
  'claude-3-haiku-20240307': [0.25, 1.25],
  'claude-3-5-haiku-20241022': [0.8, 4],
  'claude-3-5-sonnet-20241022': [3, 15],
  'claude-3-7-sonnet-20250219': [3, 15],
  'claude-3-opus-20240229': [15, 75],
  'claude-sonnet-4-20250514': [3, 15],
  'claude-opus-4-20250514': [15, 75],
  // Google
  'gemini-1.5-flash': [0.075, 0.3],
  'gemini-1.5-pro': [1.25, 5],
  'gemini-2.0-flash': [0.1, 0.4],
  'gemini-2.5-flash': [0.3, 2.5],
  'gemini-2.5-pro': [1.25, 10],
  // DeepSeek
  'deepseek-chat': [0.27, 1.1],
  'deepseek-reasoner': [0.55, 2.19],
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

export const DEFAULT_MODEL_RATIO: Record<string, number> = Object.fromEntries(
  Object.entries(TOKEN_PRICES).map(([model, [prompt]]) => [model, round(prompt / 2)]),
);

export const DEFAULT_COMPLETION_RATIO: Record<string, number> = Object.fromEntries(
  Object.entries(TOKEN_PRICES)
    .filter(([, [prompt]]) => prompt > 0)
    .map(([model, [prompt, completion]]) => [model, round(completion / prompt)]),
);

/** What a cached prompt token costs relative to a fresh one, per the providers' price pages. */
export const DEFAULT_CACHE_RATIO: Record<string, number> = {
  'gpt-4o': 0.5,
  'gpt-4o-2024-08-06': 0.5,
  'gpt-4o-2024-11-20': 0.5,
  'gpt-4o-mini': 0.5,
  'gpt-4.1': 0.25,
  'gpt-4.1-mini': 0.25,
  'gpt-4.1-nano': 0.25,
  'gpt-5': 0.1,
  'gpt-5-mini': 0.1,
  'gpt-5-nano': 0.1,
  o1: 0.5,
  'o1-mini': 0.5,
  o3: 0.25,
  'o3-mini': 0.5,
  'o4-mini': 0.25,
  'deepseek-chat': 0.26,
  'deepseek-reasoner': 0.25,
};

/** USD per call (per image for image models). */
export const DEFAULT_MODEL_PRICE: Record<string, number> = {
  'dall-e-2': 0.02,
  'dall-e-3': 0.04,
  'gpt-image-1': 0.04,
  // Whisper is $0.006 a minute; without the duration it is billed as one minute.
  'whisper-1': 0.006,
};
