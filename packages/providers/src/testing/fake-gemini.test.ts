import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GEMINI_BLOCKED_PROMPT_MARKER, GEMINI_UNSAFE_MARKER } from './fake-gemini.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const KEY = 'AIza-fake-gemini-key';
const valid = {
  systemInstruction: { parts: [{ text: 'Be brief.' }] },
  contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }],
  generationConfig: { maxOutputTokens: 10 },
};

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ keys: [KEY], reply: 'Hello there from Gemini' });
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

async function call(method: string, body: unknown, options: { key?: string; query?: string } = {}) {
  const key = options.key ?? KEY;
  const res = await fetch(
    `${fake.url}/v1beta/models/gemini-2.5-flash:${method}${options.query ?? ''}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-goog-api-key': key,
      },
      body: JSON.stringify(body),
    },
  );
  return { res, text: await res.text() };
}

describe('the fake Gemini', () => {
  it('answers generateContent and records the usage by its token rules', async () => {
    const { res, text } = await call('generateContent', valid);
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      candidates: [
        {
          content: { parts: [{ text: 'Hello there from Gemini' }], role: 'model' },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      // One turn (3 + 2 words) and the system instruction (3 + 2 words).
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, totalTokenCount: 14 },
      modelVersion: 'gemini-2.5-flash',
    });
    expect(fake.requests[0]?.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
    });
  });

  it('reports a long system instruction it has seen before as implicitly cached', async () => {
    const long = { ...valid, systemInstruction: { parts: [{ text: 'rule '.repeat(60) }] } };
    const first = JSON.parse((await call('generateContent', long)).text);
    const second = JSON.parse((await call('generateContent', long)).text);
    const short = JSON.parse((await call('generateContent', valid)).text);
    // One turn (3 + 2 words) and the instruction (3 + 60 words), of which the second time the
    // instruction is cached.
    expect(first.usageMetadata).toEqual({
      promptTokenCount: 68,
      candidatesTokenCount: 4,
      totalTokenCount: 72,
    });
    expect(second.usageMetadata).toMatchObject({
      promptTokenCount: 68,
      cachedContentTokenCount: 63,
    });
    expect(fake.requests[1]?.usage?.prompt_tokens_details).toEqual({ cached_tokens: 63 });
    expect(short.usageMetadata.cachedContentTokenCount).toBeUndefined();
  });

  it('cuts the reply to maxOutputTokens and says MAX_TOKENS', async () => {
    const { text } = await call('generateContent', {
      ...valid,
      generationConfig: { maxOutputTokens: 2 },
    });
    expect(JSON.parse(text)).toMatchObject({
      candidates: [{ content: { parts: [{ text: 'Hello there' }] }, finishReason: 'MAX_TOKENS' }],
    });
  });

  it('streams a word per event, framed with \\r\\n\\r\\n, usage on the last', async () => {
    const { res, text } = await call('streamGenerateContent', valid, { query: '?alt=sse' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = text.split('\r\n\r\n').filter(Boolean);
    expect(events).toHaveLength(4);
    const parsed = events.map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(parsed.map((e) => e.candidates[0].content.parts[0].text).join('')).toBe(
      'Hello there from Gemini',
    );
    expect(parsed.slice(0, 3).some((e) => 'usageMetadata' in e)).toBe(false);
    expect(parsed[3]).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { totalTokenCount: 14 },
    });
  });

  it('streams a JSON array without alt=sse, as Google does', async () => {
    const { res, text } = await call('streamGenerateContent', valid);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toHaveLength(4);
  });

  it('calls the offered function with the fake arguments', async () => {
    const body = {
      ...valid,
      tools: [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
    };
    const { text } = await call('generateContent', body);
    expect(JSON.parse(text)).toMatchObject({
      candidates: [
        {
          content: {
            parts: [{ functionCall: { name: 'get_time', args: { location: 'Paris, France' } } }],
          },
        },
      ],
      usageMetadata: { candidatesTokenCount: 3 },
    });
    const none = { ...body, toolConfig: { functionCallingConfig: { mode: 'NONE' } } };
    expect(
      JSON.parse((await call('generateContent', none)).text).candidates[0].content.parts[0],
    ).toEqual({
      text: 'Hello there from Gemini',
    });
  });

  it('stops for safety, or refuses the prompt, on its marker words', async () => {
    const unsafe = {
      contents: [{ role: 'user', parts: [{ text: `tell me ${GEMINI_UNSAFE_MARKER}` }] }],
    };
    expect(JSON.parse((await call('generateContent', unsafe)).text)).toMatchObject({
      candidates: [{ finishReason: 'SAFETY', index: 0 }],
      usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 },
    });
    const blocked = {
      contents: [{ role: 'user', parts: [{ text: GEMINI_BLOCKED_PROMPT_MARKER }] }],
    };
    const answer = JSON.parse((await call('generateContent', blocked)).text);
    expect(answer).toMatchObject({ promptFeedback: { blockReason: 'SAFETY' } });
    expect(answer).not.toHaveProperty('candidates');
  });

  it.each([
    ['OpenAI messages', { messages: [{ role: 'user', content: 'hi' }] }, /Unknown name "messages"/],
    ['a model in the body', { ...valid, model: 'gemini-2.5-flash' }, /Unknown name "model"/],
    [
      'max_tokens in the config',
      { ...valid, generationConfig: { max_tokens: 5 } },
      /Unknown name "max_tokens"/,
    ],
    ['no contents', { contents: [] }, /contents is not specified/],
    [
      'an assistant role',
      { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] },
      /valid role/,
    ],
    ['a system role', { contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, /valid role/],
    [
      'an OpenAI content part',
      { contents: [{ role: 'user', parts: [{ type: 'text', text: 'x' }] }] },
      /Unknown name "type"/,
    ],
    [
      'an answer to no call',
      {
        contents: [
          { role: 'user', parts: [{ text: 'x' }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
        ],
      },
      /answers no function call/,
    ],
    ['a string temperature', { ...valid, generationConfig: { temperature: '0.5' } }, /temperature/],
    [
      'a fractional maxOutputTokens',
      { ...valid, generationConfig: { maxOutputTokens: 1.5 } },
      /maxOutputTokens/,
    ],
    [
      'additionalProperties in parameters',
      {
        ...valid,
        tools: [
          {
            functionDeclarations: [
              { name: 'f', parameters: { type: 'object', additionalProperties: false } },
            ],
          },
        ],
      },
      /Unknown name "additionalProperties"/,
    ],
  ])('refuses %s with 400 INVALID_ARGUMENT', async (_case, body, words) => {
    const { res, text } = await call('generateContent', body);
    expect(res.status).toBe(400);
    const { error } = JSON.parse(text);
    expect(error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(error.message).toMatch(words);
  });

  it('refuses a wrong key as Gemini does (400 API_KEY_INVALID), and a missing one with 403', async () => {
    const wrong = await call('generateContent', valid, { key: 'AIza-wrong' });
    expect(wrong.res.status).toBe(400);
    expect(JSON.parse(wrong.text).error).toMatchObject({
      status: 'INVALID_ARGUMENT',
      details: [{ reason: 'API_KEY_INVALID' }],
    });
    // A fake that takes any key still wants one, as Google does.
    const open = await startFakeUpstream();
    try {
      const res = await fetch(`${open.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(valid),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { status: string } }).error.status).toBe(
        'PERMISSION_DENIED',
      );
    } finally {
      await open.close();
    }
  });

  it("words the failures a test asks for in Google's shape", async () => {
    fake.failNext({ status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    const limited = await call('generateContent', valid);
    expect(limited.res.status).toBe(429);
    expect(JSON.parse(limited.text)).toEqual({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
      },
    });
  });

  it('drops the stream after N events instead of an in-stream error', async () => {
    fake.failStreamAfter(2, { status: 500, message: 'boom' });
    const res = await fetch(
      `${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
        body: JSON.stringify(valid),
      },
    );
    await expect(res.text()).rejects.toThrow();
    expect(fake.requests[0]?.streamEnd).toBe('dropped');
  });

  it('embeds each text of batchEmbedContents, reporting no usage', async () => {
    const body = {
      requests: [
        {
          model: 'models/gemini-2.5-flash',
          content: { parts: [{ text: 'a b' }] },
          outputDimensionality: 4,
        },
        {
          model: 'models/gemini-2.5-flash',
          content: { parts: [{ text: 'c' }] },
          outputDimensionality: 4,
        },
      ],
    };
    const { res, text } = await call('batchEmbedContents', body);
    expect(res.status).toBe(200);
    const { embeddings } = JSON.parse(text);
    expect(embeddings).toHaveLength(2);
    expect(embeddings[0].values).toHaveLength(4);
    expect(fake.requests[0]?.usage).toBeUndefined();
    const wrongModel = {
      requests: [{ model: 'models/other', content: { parts: [{ text: 'a' }] } }],
    };
    expect((await call('batchEmbedContents', wrongModel)).res.status).toBe(400);
  });
});
