import { describe, expect, it } from 'vitest';
import type { UpstreamChannel } from './channel.js';
import { RequestNotSupportedError, UnknownChannelTypeError } from './errors.js';
import { listChannelTypes } from './channel-config.js';
import { channelTypes } from './registry.js';
import { buildUpstreamRequest } from './upstream-request.js';

const channel = (type: string, extra: Partial<UpstreamChannel> = {}): UpstreamChannel => ({
  type,
  key: 'sk-test-key',
  baseUrl: '',
  config: {},
  ...extra,
});

describe('buildUpstreamRequest', () => {
  it.each([
    ['openai', 'https://api.openai.com/v1/chat/completions'],
    ['deepseek', 'https://api.deepseek.com/v1/chat/completions'],
    ['moonshot', 'https://api.moonshot.cn/v1/chat/completions'],
    ['groq', 'https://api.groq.com/openai/v1/chat/completions'],
    ['mistral', 'https://api.mistral.ai/v1/chat/completions'],
    ['openrouter', 'https://openrouter.ai/api/v1/chat/completions'],
    ['xai', 'https://api.x.ai/v1/chat/completions'],
    ['siliconflow', 'https://api.siliconflow.cn/v1/chat/completions'],
    ['together', 'https://api.together.xyz/v1/chat/completions'],
    ['ollama', 'http://localhost:11434/v1/chat/completions'],
    ['qwen', 'https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions'],
    ['zhipu', 'https://open.bigmodel.cn/api/paas/v4/chat/completions'],
  ])('sends %s chat completions to its default base URL', (type, url) => {
    expect(buildUpstreamRequest({ channel: channel(type), path: '/v1/chat/completions' })).toEqual({
      url,
      headers: { authorization: 'Bearer sk-test-key' },
    });
  });

  it('uses the channel base URL over the default, without its trailing slash', () => {
    const target = buildUpstreamRequest({
      channel: channel('openai', { baseUrl: 'https://proxy.example.com/' }),
      path: '/v1/models',
    });
    expect(target.url).toBe('https://proxy.example.com/v1/models');
  });

  it('keeps the query of the path', () => {
    const target = buildUpstreamRequest({
      channel: channel('openai-compatible', { baseUrl: 'http://10.0.0.5:8000' }),
      path: '/v1/dashboard/billing/usage?start_date=2025-01-01',
    });
    expect(target.url).toBe(
      'http://10.0.0.5:8000/v1/dashboard/billing/usage?start_date=2025-01-01',
    );
  });

  it('serves Zhipu paths without /v1', () => {
    const target = buildUpstreamRequest({ channel: channel('zhipu'), path: '/v1/models' });
    expect(target.url).toBe('https://open.bigmodel.cn/api/paas/v4/models');
  });

  it('routes Azure by deployment, with the dots of the model removed and the api-version', () => {
    const azure = channel('azure', {
      baseUrl: 'https://my-resource.openai.azure.com',
      config: { apiVersion: '2024-10-21' },
    });
    expect(
      buildUpstreamRequest({
        channel: azure,
        path: '/v1/chat/completions',
        model: 'gpt-3.5-turbo',
      }),
    ).toEqual({
      url: 'https://my-resource.openai.azure.com/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': 'sk-test-key' },
    });
    expect(buildUpstreamRequest({ channel: azure, path: '/v1/models' }).url).toBe(
      'https://my-resource.openai.azure.com/openai/models?api-version=2024-10-21',
    );
  });

  it('refuses an Azure channel without an api-version', () => {
    const azure = channel('azure', { baseUrl: 'https://r.openai.azure.com' });
    expect(() => buildUpstreamRequest({ channel: azure, path: '/v1/models' })).toThrow(
      'azure channel needs config.apiVersion',
    );
  });

  it('knows Anthropic and Gemini but does not build their requests yet', () => {
    for (const type of ['anthropic', 'gemini']) {
      expect(() =>
        buildUpstreamRequest({ channel: channel(type), path: '/v1/chat/completions' }),
      ).toThrow(RequestNotSupportedError);
    }
    expect(() => buildUpstreamRequest({ channel: channel('nope'), path: '/v1/models' })).toThrow(
      UnknownChannelTypeError,
    );
  });
});

describe('channel type registry', () => {
  it('lists each type with what the console forms need', () => {
    const types = listChannelTypes();
    expect(types.map((t) => t.type)).toEqual(Object.keys(channelTypes));
    expect(types.find((t) => t.type === 'azure')).toEqual({
      type: 'azure',
      label: 'Azure OpenAI',
      defaultBaseUrl: '',
      baseUrlRequired: true,
      configFields: ['apiVersion'],
    });
    expect(types.find((t) => t.type === 'openai-compatible')).toMatchObject({
      baseUrlRequired: true,
    });
    expect(types.find((t) => t.type === 'anthropic')).toMatchObject({
      defaultBaseUrl: 'https://api.anthropic.com',
      baseUrlRequired: false,
    });
    expect(types.find((t) => t.type === 'gemini')).toMatchObject({
      defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    });
    for (const { defaultBaseUrl } of types) expect(defaultBaseUrl).not.toMatch(/\/v1\/?$|\/$/);
  });
});
