/** The request format a channel type speaks; OpenAI-compatible providers share one builder. */
export type WireFormat = 'openai' | 'azure' | 'anthropic' | 'gemini' | 'vertex' | 'bedrock';

export interface ChannelTypeSpec {
  type: string;
  label: string;
  /** The provider's origin (no trailing /v1); '' where the operator must give one. */
  defaultBaseUrl: string;
  baseUrlRequired: boolean;
  wire: WireFormat;
  /** OpenAI wire: paths start with /v1, but a few providers serve them without (Zhipu). */
  dropsV1: boolean;
}

function openaiFamily(
  type: string,
  label: string,
  defaultBaseUrl: string,
  options: { dropsV1?: boolean } = {},
): ChannelTypeSpec {
  return {
    type,
    label,
    defaultBaseUrl,
    baseUrlRequired: defaultBaseUrl === '',
    wire: 'openai',
    dropsV1: options.dropsV1 ?? false,
  };
}

/**
 * Every channel type the gateway knows, by its stored name (DESIGN §7). Plain data: the relay
 * loads it, and the settings forms' schemas live apart (channel-config.ts).
 */
export const channelTypes = {
  openai: openaiFamily('openai', 'OpenAI', 'https://api.openai.com'),
  azure: {
    type: 'azure',
    label: 'Azure OpenAI',
    defaultBaseUrl: '',
    baseUrlRequired: true,
    wire: 'azure',
    dropsV1: false,
  },
  'openai-compatible': openaiFamily('openai-compatible', 'OpenAI-compatible', ''),
  anthropic: {
    type: 'anthropic',
    label: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    baseUrlRequired: false,
    wire: 'anthropic',
    dropsV1: false,
  },
  gemini: {
    type: 'gemini',
    label: 'Google Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    baseUrlRequired: false,
    wire: 'gemini',
    dropsV1: false,
  },
  'vertex-ai': {
    type: 'vertex-ai',
    label: 'Google Vertex AI',
    // Derived from the region unless the operator gives one (a proxy, a private endpoint).
    defaultBaseUrl: '',
    baseUrlRequired: false,
    wire: 'vertex',
    dropsV1: false,
  },
  'aws-bedrock': {
    type: 'aws-bedrock',
    label: 'AWS Bedrock',
    // Derived from the region unless the operator gives one (a VPC endpoint).
    defaultBaseUrl: '',
    baseUrlRequired: false,
    wire: 'bedrock',
    dropsV1: false,
  },
  deepseek: openaiFamily('deepseek', 'DeepSeek', 'https://api.deepseek.com'),
  moonshot: openaiFamily('moonshot', 'Moonshot AI', 'https://api.moonshot.cn'),
  groq: openaiFamily('groq', 'Groq', 'https://api.groq.com/openai'),
  mistral: openaiFamily('mistral', 'Mistral AI', 'https://api.mistral.ai'),
  openrouter: openaiFamily('openrouter', 'OpenRouter', 'https://openrouter.ai/api'),
  xai: openaiFamily('xai', 'xAI', 'https://api.x.ai'),
  siliconflow: openaiFamily('siliconflow', 'SiliconFlow', 'https://api.siliconflow.cn'),
  together: openaiFamily('together', 'Together AI', 'https://api.together.xyz'),
  ollama: openaiFamily('ollama', 'Ollama', 'http://localhost:11434'),
  qwen: openaiFamily('qwen', 'Qwen (DashScope)', 'https://dashscope.aliyuncs.com/compatible-mode'),
  zhipu: openaiFamily('zhipu', 'Zhipu GLM', 'https://open.bigmodel.cn/api/paas/v4', {
    dropsV1: true,
  }),
} satisfies Record<string, ChannelTypeSpec>;

export type ChannelType = keyof typeof channelTypes;

/** For `z.enum`: the registry's names, never empty. */
export const channelTypeNames = Object.keys(channelTypes) as [ChannelType, ...ChannelType[]];

export function isChannelType(type: string): type is ChannelType {
  return Object.hasOwn(channelTypes, type);
}

export function findChannelType(type: string): ChannelTypeSpec | undefined {
  return isChannelType(type) ? channelTypes[type] : undefined;
}
