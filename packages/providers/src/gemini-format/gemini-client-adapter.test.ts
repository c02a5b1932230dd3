import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../adapter.js';
import { openAIAdapter } from '../openai-adapter.js';
import { geminiClientRequest, geminiStream, textAnswer, textStream } from './fixtures.js';
import { geminiClientAdapter } from './gemini-client-adapter.js';

const channel = { type: 'openai', key: 'sk-upstream', baseUrl: 'http://upstream.test', config: {} };
const body = {
  systemInstruction: { parts: [{ text: 'Be brief.' }] },
  contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }],
};
const request = geminiClientRequest(body, { model: 'gpt-4o-mini', stream: true });

describe('geminiClientAdapter', () => {
  it('is built once per adapter', () => {
    expect(geminiClientAdapter(openAIAdapter)).toBe(geminiClientAdapter(openAIAdapter));
  });

  it("sends the hub's chat request through the channel's adapter", async () => {
    const upstream = await geminiClientAdapter(openAIAdapter).buildRequest(channel, request);
    expect(upstream.url).toBe('http://upstream.test/v1/chat/completions');
    expect(JSON.parse(String(upstream.body))).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('answers with a GenerateContentResponse naming the model asked for', () => {
    const answer = geminiClientAdapter(openAIAdapter).clientAnswer(
      Buffer.from(JSON.stringify(textAnswer)),
      request,
    );
    expect(JSON.parse(answer.toString())).toMatchObject({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'Bonjour !' }] }, finishReason: 'STOP' },
      ],
      usageMetadata: { promptTokenCount: 2006, candidatesTokenCount: 4 },
      modelVersion: 'gpt-4o-mini',
    });
  });

  it('streams Gemini events ending with the usage, which the inner tap still reads', () => {
    // The relay would strip the usage chunk the client did not ask for; Gemini's stream needs it.
    const tap = geminiClientAdapter(openAIAdapter).streamTap({
      stripUsageChunk: true,
      collectText: true,
      request,
    });
    const text = Buffer.concat([tap.push(Buffer.from(textStream)), tap.end()]).toString();
    expect(geminiStream(text).events.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 2006, candidatesTokenCount: 5 },
    });
    expect(tap.usage).toEqual({ promptTokens: 2006, completionTokens: 5, cachedTokens: 1920 });
    expect(tap.completionText).toBe('Bonjour, wörld 👋 !');
  });

  it('reads with the reader an adapter gives its request, converted too', async () => {
    const vertexLike: ProviderAdapter = {
      ...openAIAdapter,
      buildRequest: (c, r) =>
        Promise.resolve({ ...openAIAdapter.buildRequest(c, r), reader: openAIAdapter }),
    };
    const upstream = await geminiClientAdapter(vertexLike).buildRequest(channel, request);
    const answer = upstream.reader?.clientAnswer(Buffer.from(JSON.stringify(textAnswer)), request);
    expect(JSON.parse(String(answer))).toMatchObject({ modelVersion: 'gpt-4o-mini' });
    const again = await geminiClientAdapter(vertexLike).buildRequest(channel, request);
    expect(again.reader).toBe(upstream.reader);
  });
});
