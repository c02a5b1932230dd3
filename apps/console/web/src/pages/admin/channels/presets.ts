/**
 * Models to suggest per channel type (names as the gateway prices them), and base URLs for
 * types that have no single default. Operators can still type any other name.
 */
export const SUGGESTED_MODELS: Record<string, string[]> = {
  openai: [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'o3',
    'o3-mini',
    'o4-mini',
    'text-embedding-3-small',
    'text-embedding-3-large',
    'tts-1',
    'whisper-1',
    'dall-e-3',
  ],
  azure: ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o3-mini', 'text-embedding-3-small'],
  anthropic: [
    'claude-fable-5-2',
    'claude-opus-5-5',
    'claude-sonnet-5-5',
    'claude-haiku-5-5',
    'claude-opus-5',
    'claude-sonnet-5',
    'claude-opus-4-8',
    'claude-sonnet-4-6',
    'claude-haiku-4-5',
  ],
  gemini: [
    'gemini-3.8-flash',
    'gemini-3.5-flash',
    'gemini-3.5-flash-lite',
    'gemini-3.1-pro-preview',
    'gemini-2.5-pro',
    'gemini-2.5-flash',
    'gemini-2.5-flash-lite',
  ],
  // Vertex AI names Claude 4.x snapshots with @date; the Claude 5 generation has no snapshots.
  'vertex-ai': [
    'claude-fable-5-2',
    'claude-opus-5-5',
    'claude-sonnet-5-5',
    'claude-haiku-5-5',
    'claude-sonnet-4-5@20250929',
    'claude-haiku-4-5@20251001',
    'gemini-3.8-flash',
    'gemini-3.5-flash',
    'gemini-3.1-pro-preview',
    'gemini-2.5-pro',
    'gemini-2.5-flash',
  ],
  // Bedrock serves the Claude 5 generation through inference profiles only.
  'aws-bedrock': [
    'global.anthropic.claude-fable-5-2',
    'global.anthropic.claude-opus-5-5',
    'global.anthropic.claude-sonnet-5-5',
    'global.anthropic.claude-haiku-5-5',
    'anthropic.claude-opus-4-6-v1:0',
    'anthropic.claude-sonnet-4-5-20250929-v1:0',
    'anthropic.claude-haiku-4-5-20251001-v1:0',
  ],
  deepseek: ['deepseek-chat', 'deepseek-reasoner'],
  moonshot: ['moonshot-v1-8k', 'moonshot-v1-32k', 'moonshot-v1-128k'],
  groq: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'],
  mistral: ['mistral-large-latest', 'mistral-small-latest', 'codestral-latest'],
  openrouter: ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'google/gemini-2.5-pro'],
  xai: ['grok-4', 'grok-3', 'grok-3-mini'],
  siliconflow: ['deepseek-ai/DeepSeek-V3', 'Qwen/Qwen2.5-72B-Instruct'],
  together: ['meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  ollama: ['llama3.2', 'qwen2.5'],
  qwen: ['qwen-max', 'qwen-plus', 'qwen-turbo'],
  zhipu: ['glm-4-plus', 'glm-4-air', 'glm-4-flash'],
};

export interface BaseUrlPreset {
  label: string;
  baseUrl: string;
  models?: string[];
}

/** Well-known OpenAI-compatible servers for the types that need a base URL. */
export const BASE_URL_PRESETS: Record<string, BaseUrlPreset[]> = {
  'openai-compatible': [
    { label: 'vLLM', baseUrl: 'http://localhost:8000' },
    { label: 'LM Studio', baseUrl: 'http://localhost:1234' },
    { label: 'LocalAI', baseUrl: 'http://localhost:8080' },
    { label: 'One API / New API', baseUrl: 'http://localhost:3000', models: ['gpt-4o-mini'] },
    {
      label: 'DeepSeek',
      baseUrl: 'https://api.deepseek.com',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
  ],
};

/** What the base URL looks like for types without a single default. */
export const BASE_URL_EXAMPLES: Record<string, string> = {
  azure: 'https://YOUR-RESOURCE.openai.azure.com',
  'vertex-ai': 'https://us-east5-aiplatform.googleapis.com',
  'aws-bedrock': 'https://bedrock-runtime.us-east-1.amazonaws.com',
};

export interface SettingPreset {
  /** Shown in the empty field. */
  example: string;
  /** Offered while typing; any other value is allowed. */
  suggestions?: string[];
}

/** Examples and common values for each type's settings. */
export const SETTING_PRESETS: Record<string, Record<string, SettingPreset>> = {
  azure: {
    apiVersion: {
      example: '2024-10-21',
      suggestions: ['2024-10-21', '2024-06-01', '2025-01-01-preview'],
    },
  },
  'vertex-ai': {
    project: { example: 'my-project-123456' },
    region: {
      example: 'us-east5',
      suggestions: [
        'global',
        'us-east5',
        'us-central1',
        'europe-west1',
        'europe-west4',
        'asia-southeast1',
      ],
    },
  },
  'aws-bedrock': {
    region: {
      example: 'us-east-1',
      suggestions: ['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-northeast-1'],
    },
  },
};
