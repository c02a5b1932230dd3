import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeSpeech } from './fake-audio.js';
import { fakeEmbedding } from './fake-endpoints.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const KEY = 'sk-fake-upstream-test';
const REPLY = '你好 世界！ 👋🏽 from the fake.';
const MESSAGES = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'Say hello in Chinese' }] },
];
// 3 + 2 words, 3 + 4 words.
const PROMPT_TOKENS = 12;

interface Chunk {
  object: string;
  choices: {
    index: number;
    delta?: { content?: string; tool_calls?: { function: { arguments: string } }[] };
    text?: string;
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

/** The data of each event, parsed the way the SSE spec says (any line ending). */
function sseData(text: string): string[] {
  return text
    .split(/\r\n\r\n|\n\n|\r\r/)
    .map((event) =>
      event
        .split(/\r\n|\r|\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, '')),
    )
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'));
}

describe('fake upstream', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream({ keys: [KEY], reply: REPLY });
  });
  beforeEach(() => upstream.reset());
  afterAll(() => upstream?.close());

  const post = (path: string, body: object, init: RequestInit = {}) =>
    fetch(`${upstream.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...init,
    });

  /** The body as text, and how many reads it took. */
  async function read(response: Response): Promise<{ text: string; reads: number }> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
    return { text: Buffer.concat(chunks).toString('utf8'), reads: chunks.length };
  }

  const get = (path: string) =>
    fetch(`${upstream.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });

  const streamChat = (extra: object = {}, init: RequestInit = {}) =>
    post(
      '/v1/chat/completions',
      {
        model: 'gpt-4o-mini',
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
        ...extra,
      },
      init,
    );

  describe.each([
    { lineEnding: '\n' as const },
    { lineEnding: '\r\n' as const, splitEvery: 3 },
    { lineEnding: '\r\n' as const, splitEvery: 1, keepAliveComments: true },
  ])('streams with framing %o', (framing) => {
    it('as OpenAI does: role, one chunk per word, finish, usage, [DONE]', async () => {
      upstream.streamFraming(framing);
      const response = await streamChat();
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const { text, reads } = await read(response);
      if (framing.lineEnding === '\r\n') expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(text.includes(': keep-alive')).toBe(Boolean(framing.keepAliveComments));
      if (framing.splitEvery) expect(reads).toBeGreaterThan(text.length / framing.splitEvery / 2);

      const data = sseData(text);
      expect(data.at(-1)).toBe('[DONE]');
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
      const words = REPLY.split(' ');
      expect(chunks).toHaveLength(words.length + 3);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(REPLY);
      expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null).at(-2)).toBe('stop');
      expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
      const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: words.length };
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
      expect(upstream.requests[0]?.usage).toMatchObject(usage);
    });
  });

  it('sends no usage chunk, nor usage fields, unless asked', async () => {
    const { text } = await read(await streamChat({ stream_options: undefined }));
    const chunks = sseData(text).slice(0, -1);
    expect(chunks.length).toBe(REPLY.split(' ').length + 2);
    expect(chunks.join()).not.toContain('usage');
    expect(upstream.requests[0]?.usage).toBeUndefined();
  });

  it('puts usage on the finish chunk, or leaves it out, when told to', async () => {
    upstream.usageOnLastContentChunk();
    const finish = sseData((await read(await streamChat())).text)
      .slice(0, -1)
      .at(-1);
    expect(JSON.parse(finish ?? '')).toMatchObject({
      choices: [{ finish_reason: 'stop' }],
      usage: { prompt_tokens: PROMPT_TOKENS },
    });

    upstream.reset();
    upstream.omitUsage();
    expect((await read(await streamChat())).text).not.toContain('usage');
    const plain = await post('/v1/chat/completions', { model: 'm', messages: MESSAGES });
    expect(await plain.json()).not.toHaveProperty('usage');
  });

  it('answers a request with tools with a tool call, streamed and not', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: {} } }];
    const stream = sseData((await read(await streamChat({ tools, x_unknown: { kept: 1 } }))).text);
    const chunks = stream.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    const args = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(args.map((call) => call.function.arguments).join('')).toBe(
      '{"location": "Paris, France"}',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 3 });
    expect(upstream.requests[0]?.body).toMatchObject({ tools, x_unknown: { kept: 1 } });

    const response = await post('/v1/chat/completions', { model: 'm', messages: MESSAGES, tools });
    expect(await response.json()).toMatchObject({
      choices: [
        {
          message: {
            content: null,
            tool_calls: [
              {
                type: 'function',
                function: { name: 'get_weather', arguments: expect.any(String) },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });

  it('reports a long system message it has seen before as cached, as OpenAI does', async () => {
    const messages = [{ role: 'system', content: 'rule '.repeat(60) }, MESSAGES[1]];
    const body = { model: 'gpt-4o-mini', messages };
    type Answer = { usage: { prompt_tokens: number; prompt_tokens_details?: unknown } };
    const ask = async (model: string) =>
      ((await (await post('/v1/chat/completions', { ...body, model })).json()) as Answer).usage;
    const first = await ask('gpt-4o-mini');
    const again = await ask('gpt-4o-mini');
    const otherModel = await ask('gpt-4o');
    expect(first.prompt_tokens_details).toBeUndefined();
    // The system message is 3 + 60 of the prompt's 70 tokens; the cache is per model.
    expect(again).toMatchObject({
      prompt_tokens: 70,
      prompt_tokens_details: { cached_tokens: 63 },
    });
    expect(upstream.requests[1]?.usage?.prompt_tokens_details).toEqual({ cached_tokens: 63 });
    expect(otherModel.prompt_tokens_details).toBeUndefined();
  });

  it('records the raw body bytes as they came', async () => {
    const raw = '{ "model" : "m",\n  "messages": [], "weird": [1,  2] }';
    await fetch(`${upstream.url}/v1/chat/completions`, { method: 'POST', body: raw });
    expect(upstream.requests[0]?.rawBody.toString()).toBe(raw);
  });

  it('streams legacy completions for each prompt', async () => {
    const response = await post('/v1/completions', {
      model: 'gpt-3.5-turbo-instruct',
      prompt: ['one two', 'three'],
      max_tokens: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = sseData((await read(response)).text)
      .slice(0, -1)
      .map((d) => JSON.parse(d) as Chunk);
    const text = (index: number) =>
      chunks.flatMap((c) => c.choices.filter((ch) => ch.index === index).map((ch) => ch.text));
    expect(text(0).join('')).toBe('你好 世界！');
    expect(text(1).join('')).toBe('你好 世界！');
    expect(chunks.at(-1)).toMatchObject({
      object: 'text_completion',
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4 },
    });
  });

  it('breaks a stream after the events it was told to, without counting a client abort', async () => {
    upstream.dropStreamAfter(3);
    const response = await streamChat();
    const chunks: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
    })();
    await expect(reading).rejects.toThrow();
    expect(sseData(Buffer.concat(chunks).toString())).toHaveLength(3);
    expect(upstream.abortedRequests).toBe(0);
  });

  it('sees a client give up on a request it never answers, and on a slow stream', async () => {
    upstream.hangBeforeHeaders();
    const hung = new AbortController();
    const request = post('/v1/chat/completions', { messages: [] }, { signal: hung.signal });
    await expect.poll(() => upstream.requests.length).toBe(1);
    hung.abort();
    await expect(request).rejects.toThrow();
    await upstream.waitForAborts(1);

    upstream.reset();
    upstream.streamDelayMs(20);
    const finished = read(await streamChat());
    const slow = new AbortController();
    const streaming = await streamChat({}, { signal: slow.signal });
    await (streaming.body as ReadableStream<Uint8Array>).getReader().read();
    slow.abort();
    await upstream.waitForAborts(1);
    await finished;
    expect(upstream.requests.map((r) => r.aborted)).toEqual([false, true]);
    expect(upstream.abortedRequests).toBe(1);
  });

  it('fails the next requests as queued, then answers', async () => {
    upstream.failNext({ status: 503, message: 'overloaded', code: 'overloaded' }, 2);
    upstream.failNext('drop');
    expect((await get('/v1/models')).status).toBe(503);
    expect(await (await get('/v1/models')).json()).toMatchObject({ error: { code: 'overloaded' } });
    await expect(get('/v1/models')).rejects.toThrow();
    expect((await get('/v1/models')).status).toBe(200);
  });

  it('counts embeddings tokens per input and honours base64', async () => {
    const input = ['one two three', 'four', [1, 2, 3, 4, 5]];
    const floats = await post('/v1/embeddings', { model: 'text-embedding-3-small', input });
    const base64 = await post('/v1/embeddings', { model: 'm', input, encoding_format: 'base64' });
    const plain = (await floats.json()) as { data: { embedding: number[] }[]; usage: object };
    const encoded = (await base64.json()) as { data: { embedding: string }[] };
    expect(plain.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
    expect(plain.data.map((d) => d.embedding)).toEqual(input.map((i) => fakeEmbedding(i)));
    const decoded = encoded.data.map((d) => {
      const bytes = Buffer.from(d.embedding, 'base64');
      return [...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)];
    });
    expect(decoded).toEqual(plain.data.map((d) => d.embedding));
  });

  it('speaks 64 KiB of audio derived from the input', async () => {
    const response = await post('/v1/audio/speech', {
      model: 'tts-1',
      input: 'Hi',
      voice: 'alloy',
    });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const audio = Buffer.from(await response.arrayBuffer());
    expect(audio.length).toBe(64 * 1024);
    expect(audio.equals(fakeSpeech('Hi'))).toBe(true);
    expect(audio.equals(fakeSpeech('Ho'))).toBe(false);
  });

  it('records an uploaded file by name, size and hash, and bills its duration', async () => {
    const file = Buffer.alloc(40_000, 7);
    file.write('ID3 fake audio\r\n--not-a-boundary', 100);
    const form = new FormData();
    form.append('model', 'whisper-1');
    form.append('file', new Blob([file], { type: 'audio/mpeg' }), 'meeting notes.mp3');
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    form.append('timestamp_granularities[]', 'segment');
    const response = await fetch(`${upstream.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: form,
    });
    expect(await response.json()).toMatchObject({
      task: 'transcribe',
      duration: 3,
      usage: { type: 'duration', seconds: 3 },
    });
    expect(upstream.requests[0]?.form).toEqual({
      fields: {
        model: 'whisper-1',
        response_format: 'verbose_json',
        'timestamp_granularities[]': ['word', 'segment'],
      },
      files: [
        {
          field: 'file',
          filename: 'meeting notes.mp3',
          contentType: 'audio/mpeg',
          size: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
        },
      ],
    });
  });

  it('reranks documents by the query words they hold, best first, with Jina usage', async () => {
    const documents = [
      'The capital of Brazil is Brasilia.',
      { text: 'Paris is the capital of France' },
      'Horses',
    ];
    const request = { model: 'bge-reranker', query: 'capital of France', documents };
    const ranked = (await (await post('/v1/rerank', { ...request, top_n: 2 })).json()) as object;
    expect(ranked).toMatchObject({
      results: [
        { index: 1, relevance_score: 1 },
        { index: 0, relevance_score: 2 / 3 },
      ],
      // 3 query words, 6 + 6 + 1 document words
      usage: { total_tokens: 16 },
    });
    const withTexts = (await (
      await post('/v1/rerank', { ...request, return_documents: true })
    ).json()) as {
      results: { document?: { text: string } }[];
    };
    expect(withTexts.results.map((result) => result.document?.text)).toEqual([
      'Paris is the capital of France',
      'The capital of Brazil is Brasilia.',
      'Horses',
    ]);
    upstream.omitUsage();
    expect(await (await post('/v1/rerank', request)).json()).not.toHaveProperty('usage');
  });

  it('edits an uploaded image n times, and refuses an upload without an image', async () => {
    const edit = async (withImage: boolean) => {
      const form = new FormData();
      form.append('model', 'gpt-image-1');
      if (withImage) form.append('image[]', new Blob([Buffer.alloc(64, 1)]), 'a.png');
      form.append('prompt', 'add a hat');
      form.append('n', '3');
      form.append('response_format', 'b64_json');
      return fetch(`${upstream.url}/v1/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}` },
        body: form,
      });
    };
    const answered = (await (await edit(true)).json()) as { data: { b64_json?: string }[] };
    expect(answered.data).toHaveLength(3);
    expect(answered.data[0]?.b64_json).toMatch(/^iVBOR/);
    const refused = await edit(false);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { message: "Missing required parameter: 'image'." },
    });
  });
});
