import { describe, expect, it } from 'vitest';
import type { ClientRequest } from './adapter.js';
import { adapterFor } from './adapter-for.js';
import { RequestNotSupportedError } from './errors.js';

const rerank: ClientRequest = {
  path: '/v1/rerank',
  model: 'rerank-v3.5',
  raw: Buffer.from('{"model":"rerank-v3.5","query":"q","documents":["a"]}'),
  json: { model: 'rerank-v3.5', query: 'q', documents: ['a'] },
  contentType: 'application/json',
  stream: false,
  clientWantsUsage: false,
};

const imageEdit: ClientRequest = {
  path: '/v1/images/edits',
  model: 'gpt-image-1',
  raw: Buffer.from(
    '--b\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-image-1\r\n--b--',
  ),
  json: undefined,
  form: { model: 'gpt-image-1' },
  contentType: 'multipart/form-data; boundary=b',
  stream: false,
  clientWantsUsage: false,
};

describe('providers without rerank or image edits', () => {
  it.each(['anthropic', 'gemini', 'aws-bedrock', 'vertex-ai'])(
    '%s refuses them before any call, naming the endpoint, so the relay tries another channel',
    async (type) => {
      const channel = { type, key: 'k', baseUrl: 'http://upstream.test', config: {} };
      for (const request of [rerank, imageEdit]) {
        const attempt = (async () => adapterFor(type).buildRequest(channel, request))();
        await expect(attempt).rejects.toBeInstanceOf(RequestNotSupportedError);
        await expect(attempt).rejects.toThrow(`${type} channels do not serve ${request.path}`);
      }
    },
  );
});
