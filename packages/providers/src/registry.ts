import { z } from 'zod';

/** The request format a channel type speaks; OpenAI-compatible providers share one builder. */
export type WireFormat = 'openai' | 'azure' | 'anthropic' | 'gemini';

export interface ChannelTypeSpec {
  type: string;
  label: string;
  /** The provider's origin (no trailing /v1); '' where the operator must give one. */
  defaultBaseUrl: string;
  baseUrlRequired: boolean;
  /** Type-specific settings, stored in the channel's `config`. */
  config: z.ZodObject;
  wire: WireFormat;
  /** OpenAI wire: paths start with /v1, but a few providers serve them without (Zhipu). */
  dropsV1: boolean;
}

const noConfig = z.object({});
const azureApiVersionMissing = 'required: the Azure API version, e.g. 2024-10-21';

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
    config: noConfig,
    wire: 'openai',
    dropsV1: options.dropsV1 ?? false,
  };
}

/** Every channel type the gateway knows, by its stored name (DESIGN §7). */
export const channelTypes = {
  openai: openaiFamily('openai', 'OpenAI', 'https://api.openai.com'),
  azure: {
    type: 'azure',
    label: 'Azure OpenAI',
    defaultBaseUrl: '',
    baseUrlRequired: true,
    config: z.object({
      apiVersion: z
        .string({ error: azureApiVersionMissing })
        .trim()
        .min(1, azureApiVersionMissing)
        .max(64),
    }),
    wire: 'azure',
    dropsV1: false,
  },
  'openai-compatible': openaiFamily('openai-compatible', 'OpenAI-compatible', ''),
  anthropic: {
    type: 'anthropic',
    label: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    baseUrlRequired: false,
    config: noConfig,
    wire: 'anthropic',
    dropsV1: false,
  },
  gemini: {
    type: 'gemini',
    label: 'Google Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    baseUrlRequired: false,
    config: noConfig,
    wire: 'gemini',
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

/** What the console's forms need to know about each type. */
export function listChannelTypes() {
  return Object.values(channelTypes).map((spec: ChannelTypeSpec) => ({
    type: spec.type as ChannelType,
    label: spec.label,
    defaultBaseUrl: spec.defaultBaseUrl,
    baseUrlRequired: spec.baseUrlRequired,
    configFields: Object.keys(spec.config.shape),
  }));
}
