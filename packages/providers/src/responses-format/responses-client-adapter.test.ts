import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../adapter.js';
import { openAIAdapter } from '../openai-adapter.js';
import { responsesClientRequest, responsesEvents, textAnswer, textStream } from './fixtures.js';
import { responsesClientAdapter } from './responses-client-adapter.js';

const channel = { type: 'openai', key: 'sk-upstream', baseUrl: 'http://upstream.test', config: {} };
const body = {
  model: 'gpt-4.1-mini',
  instructions: 'Be brief.',
  input: 'Say hello.',
  stream: true,
};
const request = responsesClientRequest(body);

describe('responsesClientAdapter', () => {
  it('is built once per adapter', () => {
    expect(responsesClientAdapter(openAIAdapter)).toBe(responsesClientAdapter(openAIAdapter));
  });

  it("sends the hub's chat request through the channel's adapter", async () => {
    const upstream = await responsesClientAdapter(openAIAdapter).buildRequest(channel, request);
    expect(upstream.url).toBe('http://upstream.test/v1/chat/completions');
    expect(JSON.parse(String(upstream.body))).toEqual({
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("answers with a Response echoing the client's request", () => {
    const answer = responsesClientAdapter(openAIAdapter).clientAnswer(
      Buffer.from(JSON.stringify(textAnswer)),
      request,
    );
    expect(JSON.parse(answer.toString())).toMatchObject({
      object: 'response',
      model: 'gpt-4.1-mini',
      instructions: 'Be brief.',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Bonjour !' }] }],
      usage: { input_tokens: 2006, output_tokens: 4 },
    });
  });

  it('streams Responses events ending with the usage, which the inner tap still reads', () => {
    // The relay would strip the usage chunk the client did not ask for; the response needs it.
    const tap = responsesClientAdapter(openAIAdapter).streamTap({
      stripUsageChunk: true,
      collectText: true,
      request,
    });
    const text = Buffer.concat([tap.push(Buffer.from(textStream)), tap.end()]).toString();
    expect(responsesEvents(text).at(-1)).toMatchObject({
      type: 'response.completed',
      response: { instructions: 'Be brief.', usage: { input_tokens: 2006, output_tokens: 5 } },
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
    const upstream = await responsesClientAdapter(vertexLike).buildRequest(channel, request);
    const answer = upstream.reader?.clientAnswer(Buffer.from(JSON.stringify(textAnswer)), request);
    expect(JSON.parse(String(answer))).toMatchObject({ object: 'response' });
    const again = await responsesClientAdapter(vertexLike).buildRequest(channel, request);
    expect(again.reader).toBe(upstream.reader);
  });
});
