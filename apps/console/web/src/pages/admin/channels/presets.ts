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
    'claude-opus-4-20250514',
    'claude-sonnet-4-20250514',
    'claude-3-7-sonnet-20250219',
    'claude-3-5-sonnet-20241022',
    'claude-3-5-haiku-20241022',
  ],
  gemini: ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash', 'gemini-1.5-pro'],
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

export const AZURE_API_VERSIONS = ['2024-10-21', '2024-06-01', '2025-01-01-preview'];
