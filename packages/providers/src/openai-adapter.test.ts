import { describe, expect, it } from 'vitest';
import type { ClientRequest, UpstreamRequest } from './adapter.js';
import { RequestNotSupportedError } from './errors.js';
import { multipartTextFields } from './multipart-fields.js';
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

describe('openAIAdapter on rerank and image edits', () => {
  const rerank: ClientRequest = {
    path: '/v1/rerank',
    model: 'bge-reranker-v2-m3',
    raw: Buffer.from('{"model":"bge-reranker-v2-m3","query":"q","documents":["a"]}'),
    json: { model: 'bge-reranker-v2-m3', query: 'q', documents: ['a'] },
    contentType: 'application/json',
    stream: false,
    clientWantsUsage: false,
  };

  it("sends rerank to the origin's /v1/rerank, the body untouched, read by its own reader", () => {
    const built = openAIAdapter.buildRequest(
      { ...channel, type: 'siliconflow', baseUrl: '' },
      rerank,
    ) as UpstreamRequest;
    expect(built.url).toBe('https://api.siliconflow.cn/v1/rerank');
    expect(built.body).toBe(rerank.raw);
    // Jina's usage: total tokens only, all of them the prompt's.
    const answer = '{"results":[{"index":0,"relevance_score":0.5}],"usage":{"total_tokens":12}}';
    expect(built.reader?.usageOf(answer)).toEqual({ promptTokens: 12, completionTokens: 0 });
    expect(openAIAdapter.usageOf(answer)).toBeUndefined();
  });

  it('leaves rerank to another channel type on Azure, which has none', () => {
    const azure = { ...channel, type: 'azure', config: { apiVersion: '2024-10-21' } };
    expect(() => openAIAdapter.buildRequest(azure, rerank)).toThrow(RequestNotSupportedError);
    expect(() => openAIAdapter.buildRequest(azure, rerank)).toThrow('/v1/rerank');
  });

  it('sends an image edit upload as it came, or with only the mapped model changed', async () => {
    const form = new FormData();
    form.append('model', 'gpt-image-1');
    form.append('image[]', new Blob([Buffer.alloc(500, 3)]), 'model.png');
    form.append('prompt', 'a hat');
    const request = new Request('http://client.test', { method: 'POST', body: form });
    const contentType = request.headers.get('content-type') ?? '';
    const raw = Buffer.from(await request.arrayBuffer());
    const edit: ClientRequest = {
      path: '/v1/images/edits',
      model: 'gpt-image-1',
      raw,
      json: undefined,
      contentType,
      stream: false,
      clientWantsUsage: false,
    };
    const plain = openAIAdapter.buildRequest(channel, edit) as UpstreamRequest;
    expect(plain.url).toBe('http://upstream.test/v1/images/edits');
    expect(plain.headers['content-type']).toBe(contentType);
    expect(plain.body).toBe(raw);
    const azure = {
      ...channel,
      type: 'azure',
      config: { apiVersion: '2025-04-01-preview' },
      modelMapping: { 'gpt-image-1': 'image-deployment' },
    };
    const mapped = openAIAdapter.buildRequest(azure, edit) as UpstreamRequest;
    expect(mapped.url).toBe(
      'http://upstream.test/openai/deployments/image-deployment/images/edits?api-version=2025-04-01-preview',
    );
    const fields = multipartTextFields(mapped.body as Buffer, contentType);
    expect(fields.get('model')).toEqual(['image-deployment']);
    expect(fields.get('prompt')).toEqual(['a hat']);
  });
});
