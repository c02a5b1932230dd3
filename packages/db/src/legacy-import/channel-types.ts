import type { LegacyProject } from './detect.js';

/**
 * Channel type numbers (One API relay/channeltype/define.go, New API constant/channel.go) mapped
 * to this gateway's type names (packages/providers registry). Only providers served here with
 * the same key and wire; any other number is imported disabled for the operator to review.
 */
const ONE_API: Record<number, string> = {
  1: 'openai',
  3: 'azure',
  8: 'openai-compatible',
  14: 'anthropic',
  16: 'zhipu',
  17: 'qwen',
  20: 'openrouter',
  24: 'gemini',
  25: 'moonshot',
  28: 'mistral',
  29: 'groq',
  30: 'ollama',
  36: 'deepseek',
  39: 'together',
};

const NEW_API: Record<number, string> = {
  1: 'openai',
  3: 'azure',
  4: 'ollama',
  8: 'openai-compatible',
  14: 'anthropic',
  16: 'zhipu',
  17: 'qwen',
  20: 'openrouter',
  24: 'gemini',
  25: 'moonshot',
  26: 'zhipu',
  40: 'siliconflow',
  42: 'mistral',
  43: 'deepseek',
  48: 'xai',
};

// The sources' names for their numbers, so the report says what was not imported.
const ONE_API_NAMES = [
  'Unknown',
  'OpenAI',
  'API2D',
  'Azure',
  'CloseAI',
  'OpenAISB',
  'OpenAIMax',
  'OhMyGPT',
  'Custom',
  'Ails',
  'AIProxy',
  'PaLM',
  'API2GPT',
  'AIGC2D',
  'Anthropic',
  'Baidu',
  'Zhipu',
  'Ali',
  'Xunfei',
  'AI360',
  'OpenRouter',
  'AIProxyLibrary',
  'FastGPT',
  'Tencent',
  'Gemini',
  'Moonshot',
  'Baichuan',
  'Minimax',
  'Mistral',
  'Groq',
  'Ollama',
  'LingYiWanWu',
  'StepFun',
  'AwsClaude',
  'Coze',
  'Cohere',
  'DeepSeek',
  'Cloudflare',
  'DeepL',
  'TogetherAI',
  'Doubao',
  'Novita',
];

const NEW_API_NAMES: Record<number, string> = {
  2: 'Midjourney',
  5: 'MidjourneyPlus',
  6: 'OpenAIMax',
  7: 'OhMyGPT',
  9: 'AILS',
  10: 'AIProxy',
  11: 'PaLM',
  12: 'API2GPT',
  13: 'AIGC2D',
  15: 'Baidu',
  18: 'Xunfei',
  19: '360',
  21: 'AIProxyLibrary',
  22: 'FastGPT',
  23: 'Tencent',
  27: 'Perplexity',
  31: 'LingYiWanWu',
  33: 'AWS',
  34: 'Cohere',
  35: 'MiniMax',
  36: 'SunoAPI',
  37: 'Dify',
  38: 'Jina',
  39: 'Cloudflare',
  41: 'VertexAI',
  44: 'MokaAI',
  45: 'VolcEngine',
  46: 'BaiduV2',
  47: 'Xinference',
  49: 'Coze',
  50: 'Kling',
  51: 'Jimeng',
  52: 'Vidu',
  53: 'Submodel',
  54: 'DoubaoVideo',
  55: 'Sora',
  56: 'Replicate',
  57: 'Codex',
  58: 'KuaiziLizhen',
};

/** The gateway's type for a source type number, or undefined when it has none. */
export function mapChannelType(project: LegacyProject, type: number): string | undefined {
  return (project === 'one-api' ? ONE_API : NEW_API)[type];
}

/** "type 15 (Baidu)", as the source calls it. */
export function describeSourceType(project: LegacyProject, type: number): string {
  const name = project === 'one-api' ? ONE_API_NAMES[type] : NEW_API_NAMES[type];
  return name ? `type ${type} (${name})` : `type ${type}`;
}

/**
 * Origins the sources list as a provider's default whose path differs here (DashScope's
 * OpenAI-compatible mode, Zhipu's v4 API): stored as empty so the gateway's default applies.
 */
export const DEFAULT_ORIGINS: Record<string, string[]> = {
  qwen: ['https://dashscope.aliyuncs.com'],
  zhipu: ['https://open.bigmodel.cn'],
};
