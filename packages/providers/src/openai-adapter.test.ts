import { describe, expect, it } from 'vitest';
import type { ClientRequest } from './adapter.js';
import { openAIAdapter } from './openai-adapter.js';

const channel = { type: 'openai', key: 'sk-upstream', baseUrl: 'http://upstream.test', config: {} };

function chatRequest(text: string): ClientRequest {
  const json = JSON.parse(text) as Record<string, unknown>;
  const options = json.stream_options as { include_usage?: unknown } | undefined;
  return {
    path: '/v1/chat/completions',
    model: json.model as string,
    raw: Buffer.from(text),
    json,
    contentType: 'application/json',
    stream: json.stream === true,
    clientWantsUsage: options?.include_usage === true,
  };
}

const sentBody = (text: string, mapping?: Record<string, string>) =>
  String(openAIAdapter.buildRequest({ ...channel, modelMapping: mapping }, chatRequest(text)).body);

describe('openAIAdapter.buildRequest', () => {
  it('passes a body that needs no change through as the same bytes', () => {
    const text = '{"model":"gpt-4o-mini", "messages":[{"role":"user","content":"你好"}]}';
    expect(sentBody(text)).toBe(text);
  });

  it('asks for stream usage by adding one member, the client bytes otherwise kept', () => {
    const text =
      ' \n{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"你好 👋"}]}';
    const sent = sentBody(text);
    expect(JSON.parse(sent)).toEqual({
      ...(JSON.parse(text) as object),
      stream_options: { include_usage: true },
    });
    expect(sent.endsWith(text.slice(text.indexOf('{') + 1))).toBe(true);
  });

  it('adds include_usage to the stream options the client sent', () => {
    const text = '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":false}}';
    expect(JSON.parse(sentBody(text))).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the mapped model name, with stream usage asked for', () => {
    const text = '{"model":"gpt-4o-mini","stream":true}';
    expect(JSON.parse(sentBody(text, { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' }))).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});
