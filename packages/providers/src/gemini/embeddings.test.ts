import { describe, expect, it } from 'vitest';
import { RequestNotSupportedError } from '../errors.js';
import { toBatchEmbedRequest } from './embeddings.js';
import { clientRequest, fixture } from './fixtures.js';
import { geminiReader } from './gemini-reader.js';

describe('Gemini embeddings', () => {
  it('asks one embedding per input, with the dimensions asked for', () => {
    expect(
      toBatchEmbedRequest(
        { input: ['a b', 'c'], dimensions: 768 },
        'gemini-embedding-001',
        'gemini',
      ),
    ).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'a b' }] },
          outputDimensionality: 768,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'c' }] },
          outputDimensionality: 768,
        },
      ],
    });
    expect(toBatchEmbedRequest({ input: 'one' }, 'm', 'gemini')).toEqual({
      requests: [{ model: 'models/m', content: { parts: [{ text: 'one' }] } }],
    });
  });

  it('refuses token-id inputs as an endpoint Gemini lacks, so another channel can serve them', () => {
    for (const input of [[1, 2, 3], [[1, 2], [3]], 42, undefined, ['a', 1]]) {
      expect(() => toBatchEmbedRequest({ input }, 'm', 'gemini')).toThrow(RequestNotSupportedError);
    }
  });

  it("answers as OpenAI's list, floats or base64 float32, with no usage to report", () => {
    const request = clientRequest({
      path: '/v1/embeddings',
      json: { model: 'text-embedding-3-small', input: ['a', 'b'] },
    });
    const floats = JSON.parse(
      geminiReader.clientAnswer(fixture('embeddings.json'), request).toString(),
    );
    expect(floats).toEqual(JSON.parse(fixture('embeddings.openai.json').toString()));
    expect(geminiReader.usageOf(fixture('embeddings.json').toString())).toBeUndefined();

    const base64Request = clientRequest({
      path: '/v1/embeddings',
      json: { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' },
    });
    const encoded = JSON.parse(
      geminiReader.clientAnswer(fixture('embeddings.json'), base64Request).toString(),
    );
    const decoded = Buffer.from(encoded.data[0].embedding, 'base64');
    const vector = Array.from({ length: decoded.length / 4 }, (_, i) => decoded.readFloatLE(i * 4));
    expect(vector).toEqual(floats.data[0].embedding.map((v: number) => Math.fround(v)));
  });
});
