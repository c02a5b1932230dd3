import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';

const KEY = 'sk-ant-fake-key';
const valid = {
  model: 'claude-sonnet-4-5',
  max_tokens: 10,
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'Say hello' }],
};

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ keys: [KEY], reply: 'Hello there from Claude' });
});
beforeEach(() => fake.reset());
afterAll(() => fake.close());

async function call(body: unknown, headers: Record<string, string> = {}, query = '') {
  const res = await fetch(`${fake.url}/v1/messages${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** The `{type, message}` of an Anthropic error answer. */
async function refusal(body: unknown, headers: Record<string, string> = {}) {
  const { status, text } = await call(body, headers);
  const parsed = JSON.parse(text) as { type: string; error: { type: string; message: string } };
  expect(parsed.type).toBe('error');
  return { status, ...parsed.error };
}

/** The `data` objects of an SSE body, with their `event:` names. */
function events(text: string) {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      const [name, data] = event.split('\n');
      return { name: name?.slice('event: '.length), data: JSON.parse(data!.slice(6)) };
    });
}

describe('the fake Anthropic', () => {
  it('answers a message and records the usage by its token rules', async () => {
    const { status, text } = await call(valid, {}, '?beta=true');
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello there from Claude' }],
      stop_reason: 'end_turn',
      // The system's 2 words, and one message (3 + 2 words).
      usage: {
        input_tokens: 7,
        output_tokens: 4,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(fake.requests[0]?.usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 4,
      total_tokens: 11,
    });
  });

  it('streams the events in Anthropic order, one delta per word', async () => {
    const { text } = await call({ ...valid, stream: true, max_tokens: 2 });
    const all = events(text);
    expect(all.map((event) => event.name)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(all.every((event) => event.data.type === event.name)).toBe(true);
    expect(all[3]?.data.delta).toEqual({ type: 'text_delta', text: 'Hello' });
    expect(all[4]?.data.delta).toEqual({ type: 'text_delta', text: ' there' });
    expect(all[6]?.data).toMatchObject({
      delta: { stop_reason: 'max_tokens' },
      usage: { output_tokens: 2 },
    });
    expect(fake.requests[0]?.streamEnd).toBe('finished');
  });

  it('calls the offered (or named) tool with its arguments as streamed JSON', async () => {
    const tools = [
      { name: 'first', input_schema: { type: 'object' } },
      { name: 'second', input_schema: { type: 'object' } },
    ];
    const whole = await call({ ...valid, tools, tool_choice: { type: 'tool', name: 'second' } });
    expect(JSON.parse(whole.text)).toMatchObject({
      content: [{ type: 'tool_use', name: 'second', input: { location: 'Paris, France' } }],
      stop_reason: 'tool_use',
    });
    const streamed = events((await call({ ...valid, tools, stream: true })).text);
    expect(streamed[1]?.data.content_block).toMatchObject({
      type: 'tool_use',
      name: 'first',
      input: {},
    });
    const json = streamed
      .filter((event) => event.name === 'content_block_delta')
      .map((event) => event.data.delta.partial_json as string)
      .join('');
    expect(JSON.parse(json)).toEqual({ location: 'Paris, France' });
    const none = await call({ ...valid, tools, tool_choice: { type: 'none' } });
    expect(JSON.parse(none.text).content[0].type).toBe('text');
  });

  it('reports a cache_control prefix as written the first time and read afterwards', async () => {
    const body = {
      ...valid,
      system: [
        { type: 'text', text: 'Long shared rules here.', cache_control: { type: 'ephemeral' } },
      ],
    };
    const first = JSON.parse((await call(body)).text).usage;
    const second = JSON.parse((await call(body)).text).usage;
    expect(first).toMatchObject({
      input_tokens: 5,
      cache_creation_input_tokens: 4,
      cache_read_input_tokens: 0,
    });
    expect(second).toMatchObject({
      input_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 4,
    });
    expect(fake.requests[1]?.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 4,
      total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
    });
  });

  it('refuses missing or wrong credentials as Anthropic does', async () => {
    expect(await refusal(valid, { 'x-api-key': 'sk-ant-wrong' })).toMatchObject({
      status: 401,
      type: 'authentication_error',
    });
    const noVersion = await refusal(valid, { 'anthropic-version': '' });
    expect(noVersion).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(noVersion.message).toContain('anthropic-version');
  });

  const user = (content: unknown) => ({ role: 'user', content });
  const assistant = (content: unknown) => ({ role: 'assistant', content });
  it.each([
    ['a body that is not JSON', '{not json', /not valid JSON/],
    ['no model', { ...valid, model: undefined }, /model/],
    ['a fractional max_tokens', { ...valid, max_tokens: 2.5 }, /max_tokens/],
    ['no max_tokens', { ...valid, max_tokens: undefined }, /max_tokens/],
    ['an unknown field', { ...valid, frequency_penalty: 1 }, /frequency_penalty/],
    ['temperature 1.5', { ...valid, temperature: 1.5 }, /temperature/],
    ['no messages', { ...valid, messages: [] }, /at least one message/],
    ['an assistant first', { ...valid, messages: [assistant('Hi')] }, /first message/],
    ['two user turns in a row', { ...valid, messages: [user('a'), user('b')] }, /alternate/],
    [
      'a system message in messages',
      { ...valid, messages: [{ role: 'system', content: 'x' }] },
      /first message/,
    ],
    [
      'an empty text block',
      { ...valid, messages: [user([{ type: 'text', text: '' }])] },
      /non-empty/,
    ],
    [
      'an OpenAI image part',
      { ...valid, messages: [user([{ type: 'image_url', image_url: {} }])] },
      /image_url/,
    ],
    ['system as an object', { ...valid, system: { text: 'x' } }, /system/],
    [
      'a tool_result for an unknown call',
      {
        ...valid,
        messages: [
          user('q'),
          assistant([{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }]),
          user([{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'x' }]),
        ],
      },
      /toolu_2/,
    ],
    [
      'a thinking budget not below max_tokens',
      { ...valid, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } },
      /budget_tokens/,
    ],
    [
      'thinking with a forced tool',
      {
        ...valid,
        max_tokens: 3000,
        thinking: { type: 'enabled', budget_tokens: 2000 },
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any' },
      },
      /forces tool use/,
    ],
  ])('answers 400 invalid_request_error for %s', async (_, body, message) => {
    const error = await refusal(body);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(error.message).toMatch(message);
  });

  it('reports failures in its own error shapes, also inside a stream', async () => {
    fake.failNext({ status: 529, message: 'Overloaded' });
    expect(await refusal(valid)).toEqual({
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
    });
    fake.failStreamAfter(2, { status: 500, message: 'Overloaded' });
    const all = events((await call({ ...valid, stream: true })).text);
    expect(all.map((event) => event.name)).toEqual([
      'message_start',
      'content_block_start',
      'error',
    ]);
    expect(all[2]?.data).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('honours the shared stream framing', async () => {
    fake.streamFraming({ lineEnding: '\r\n', splitEvery: 7 });
    const { text } = await call({ ...valid, stream: true });
    expect(text).toContain('event: message_start\r\ndata: {');
    expect(events(text.replace(/\r\n/g, '\n')).at(-1)?.name).toBe('message_stop');
  });
});
