import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const KEY = 'sk-fake-responses';
const REPLY = 'Bonjour from the fake 👋';
const TOOL_ARGUMENTS = '{"location": "Paris"}';
const weather = { type: 'function', name: 'get_weather', parameters: { type: 'object' } };
// The instructions (3 + 2 words) and the user message (3 + 2 words).
const valid = { model: 'gpt-5-mini', instructions: 'Be brief.', input: 'Say hello' };
const PROMPT_TOKENS = 10;

type Json = Record<string, unknown>;

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ keys: [KEY], reply: REPLY, toolArguments: TOOL_ARGUMENTS });
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

async function call(body: object) {
  const res = await fetch(`${fake.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The events of an SSE body: each `event:` name must match its data's type. */
function events(text: string): Json[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter(Boolean)
    .map((event) => {
      const [name, data] = event.split(/\r?\n/);
      const parsed = JSON.parse(data!.slice('data: '.length)) as Json;
      expect(name).toBe(`event: ${String(parsed.type)}`);
      return parsed;
    });
}

const words = REPLY.split(' ');

describe('the fake Responses API', () => {
  it('answers a response with the reply and the usage by the chat token rules', async () => {
    const { status, text } = await call(valid);
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      id: expect.stringMatching(/^resp_fake\d+$/),
      object: 'response',
      status: 'completed',
      model: 'gpt-5-mini',
      instructions: 'Be brief.',
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: REPLY }],
        },
      ],
      usage: {
        input_tokens: PROMPT_TOKENS,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: words.length,
        total_tokens: PROMPT_TOKENS + words.length,
      },
    });
    expect(fake.requests[0]?.usage).toEqual({
      prompt_tokens: PROMPT_TOKENS,
      completion_tokens: words.length,
      total_tokens: PROMPT_TOKENS + words.length,
    });
  });

  it('counts message, call and output items as chat messages, other items as nothing', async () => {
    const input = [
      { role: 'user', content: [{ type: 'input_text', text: 'Weather in Paris?' }] },
      {
        type: 'reasoning',
        id: 'rs_1',
        summary: [{ type: 'summary_text', text: 'many words here' }],
      },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '15 °C' },
    ];
    const { text } = await call({
      model: 'gpt-5-mini',
      input,
      tool_choice: 'none',
      tools: [weather],
    });
    // 3 + 3 words, 3 + 0, 3 + 2 words.
    expect(JSON.parse(text)).toMatchObject({ usage: { input_tokens: 14 } });
  });

  it('streams the events in OpenAI order, one delta per word, numbered from 0', async () => {
    fake.streamFraming({ lineEnding: '\r\n', splitEvery: 7 });
    const { type, text } = await call({ ...valid, stream: true });
    expect(type).toBe('text/event-stream; charset=utf-8');
    const all = events(text);
    expect(all.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...words.map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, i) => i));
    expect(all[0]).toMatchObject({ response: { status: 'in_progress', output: [], usage: null } });
    const deltas = all.filter((event) => event.type === 'response.output_text.delta');
    expect(deltas.map((event) => event.delta).join('')).toBe(REPLY);
    expect(all.at(-1)).toMatchObject({
      response: {
        status: 'completed',
        output: [{ content: [{ text: REPLY }] }],
        usage: { input_tokens: PROMPT_TOKENS, output_tokens: words.length },
      },
    });
    expect(fake.requests[0]?.usage).toMatchObject({ completion_tokens: words.length });
  });

  it('calls the offered function, whole and streamed, unless told not to', async () => {
    const offered = { ...valid, tools: [{ type: 'web_search' }, weather], tool_choice: 'auto' };
    const whole = JSON.parse((await call(offered)).text) as { id: string; output: Json[] };
    expect(whole.output).toEqual([
      {
        id: whole.id.replace('resp_', 'fc_'),
        type: 'function_call',
        status: 'completed',
        arguments: TOOL_ARGUMENTS,
        call_id: `call_${whole.id}`,
        name: 'get_weather',
      },
    ]);
    const streamed = events((await call({ ...offered, stream: true })).text);
    expect(streamed[2]).toMatchObject({ item: { type: 'function_call', arguments: '' } });
    const deltas = streamed.filter((e) => e.type === 'response.function_call_arguments.delta');
    expect(deltas.map((event) => event.delta).join('')).toBe(TOOL_ARGUMENTS);
    expect(streamed.at(-3)).toMatchObject({
      type: 'response.function_call_arguments.done',
      arguments: TOOL_ARGUMENTS,
    });

    const named = {
      ...valid,
      tools: [weather],
      tool_choice: { type: 'function', name: 'get_weather' },
    };
    expect((JSON.parse((await call(named)).text) as { output: Json[] }).output[0]?.name).toBe(
      'get_weather',
    );
    for (const body of [
      { ...offered, tool_choice: 'none' },
      { ...valid, tools: [{ type: 'web_search' }] },
    ]) {
      const { output } = JSON.parse((await call(body)).text) as { output: Json[] };
      expect(output[0]?.type).toBe('message');
    }
  });

  it("answers a function call's output with the reply, as the chat route does", async () => {
    const input = [
      { role: 'user', content: 'Weather?' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '15 °C' },
    ];
    const { text } = await call({ model: 'gpt-5-mini', input, tools: [weather] });
    expect(JSON.parse(text)).toMatchObject({
      output: [{ type: 'message', content: [{ text: REPLY }] }],
    });
  });

  it('cuts the reply at max_output_tokens and says the response is incomplete', async () => {
    const { text } = await call({ ...valid, max_output_tokens: 2, stream: true });
    expect(events(text).at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: {
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [{ status: 'incomplete', content: [{ text: words.slice(0, 2).join(' ') }] }],
        usage: { output_tokens: 2 },
      },
    });
  });

  it('continues a stored response, and refuses one it never kept', async () => {
    const first = JSON.parse((await call(valid)).text) as { id: string };
    const next = await call({ ...valid, previous_response_id: first.id });
    expect(JSON.parse(next.text)).toMatchObject({ previous_response_id: first.id });

    const unstored = JSON.parse((await call({ ...valid, store: false })).text) as { id: string };
    for (const id of [unstored.id, 'resp_unknown']) {
      const refused = await call({ ...valid, previous_response_id: id });
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.text)).toEqual({
        error: {
          type: 'invalid_request_error',
          message: `Previous response with id '${id}' not found.`,
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        },
      });
    }
    expect((await call({ input: 'x' })).status).toBe(400);
  });

  it('breaks off with the error event the API sends, nested under error', async () => {
    fake.failStreamAfter(3, { status: 500, message: 'The server had an error.', code: null });
    const all = events((await call({ ...valid, stream: true })).text);
    expect(all).toHaveLength(4);
    expect(all[3]).toEqual({
      type: 'error',
      sequence_number: 3,
      error: { type: 'server_error', code: null, message: 'The server had an error.', param: null },
    });
  });

  it('drops the connection mid-stream when told to', async () => {
    fake.dropStreamAfter(2);
    await expect(call({ ...valid, stream: true })).rejects.toThrow();
    expect(fake.requests[0]?.streamEnd).toBe('dropped');
  });

  it('reports no usage when told to omit it', async () => {
    fake.omitUsage();
    expect(JSON.parse((await call(valid)).text)).toMatchObject({ usage: null });
    expect(events((await call({ ...valid, stream: true })).text).at(-1)).toMatchObject({
      response: { usage: null },
    });
    expect(fake.requests.map((r) => r.usage)).toEqual([undefined, undefined]);
  });

  it("fails in OpenAI's error shape when told to", async () => {
    fake.failNext({ status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded' });
    const { status, text } = await call(valid);
    expect(status).toBe(429);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });
});
