import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, startGateway, type Gateway } from './harness.js';

// Claude clients read errors as `{"type":"error","error":{type,message}}`; the gateway's own
// codes (DESIGN §5) stay in the message, and the status is the one an OpenAI client gets.

const MODEL = 'gpt-4o-mini';

let gateway: Gateway;
let upstream: FakeUpstream;
let key: string;

beforeAll(async () => {
  gateway = await startGateway();
  upstream = await startFakeUpstream({ reply: 'fine' });
  await addChannel(gateway, { baseUrl: upstream.url, models: [MODEL] });
  ({ key } = await createKey(gateway));
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${gateway.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const hello = (model = MODEL) =>
  JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });

const claudeError = (type: string, code: string) => ({
  type: 'error',
  error: { type, message: expect.stringContaining(`(${code})`) as unknown },
});

describe('POST /v1/messages refusals, in Claude error shape', () => {
  it('a bad key: 401 authentication_error, from x-api-key or a bearer header', async () => {
    const wrong = `sk-${'x'.repeat(48)}`;
    const ways: Record<string, string>[] = [
      { 'x-api-key': wrong },
      { authorization: `Bearer ${wrong}` },
      {},
    ];
    for (const headers of ways) {
      expect(await post('/v1/messages', hello(), headers)).toEqual({
        status: 401,
        body: claudeError('authentication_error', 'invalid_api_key'),
      });
    }
  });

  it('an exhausted key: 401, and the SDK raises it without retrying', async () => {
    const spent = await createKey(gateway, { remainQuota: 0 });
    const before = upstream.requests.length;
    const claude = new Anthropic({ apiKey: spent.key, baseURL: gateway.base });
    const raised = await claude.messages
      .create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(raised).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((raised as InstanceType<typeof Anthropic.APIError>).error).toEqual(
      claudeError('authentication_error', 'token_exhausted'),
    );
    expect(upstream.requests.length).toBe(before);
  });

  it('a model no channel serves: 503 overloaded_error naming model_not_available', async () => {
    expect(await post('/v1/messages', hello('gpt-4o'), { 'x-api-key': key })).toEqual({
      status: 503,
      body: claudeError('overloaded_error', 'model_not_available'),
    });
  });

  it('malformed bodies: 400 invalid_request_error, nothing sent upstream', async () => {
    const before = upstream.requests.length;
    const bad = [
      '{"model":',
      JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'no max_tokens' }] }),
      JSON.stringify({ model: MODEL, max_tokens: 10, messages: 'not a list' }),
      `{"model":"${MODEL}","max_tokens":1e999,"messages":[{"role":"user","content":"hi"}]}`,
    ];
    for (const body of bad) {
      const answer = await post('/v1/messages', body, { 'x-api-key': key });
      expect(answer).toMatchObject({
        status: 400,
        body: { type: 'error', error: { type: 'invalid_request_error' } },
      });
    }
    expect(upstream.requests.length).toBe(before);
  });

  it("an upstream's refusal comes back in Claude's shape with its status", async () => {
    upstream.failNext({ status: 400, message: 'This model does not take that', code: 'bad' });
    const answer = await post('/v1/messages', hello(), { 'x-api-key': key });
    expect(answer).toEqual({
      status: 400,
      body: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: expect.stringContaining('This model does not take that') as unknown,
        },
      },
    });
  });
});

describe('POST /v1/messages/count_tokens', () => {
  it('counts the prompt, more for a longer one, without calling or billing anything', async () => {
    const claude = new Anthropic({ apiKey: key, baseURL: gateway.base, maxRetries: 0 });
    const before = upstream.requests.length;
    const short = await claude.messages.countTokens({
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const long = await claude.messages.countTokens({
      model: MODEL,
      system: 'You answer in French.',
      messages: [{ role: 'user', content: 'hi '.repeat(200) }],
    });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens + 150);
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses a bad key in Claude shape', async () => {
    const answer = await post('/v1/messages/count_tokens', hello(), { 'x-api-key': 'nope' });
    expect(answer).toEqual({
      status: 401,
      body: claudeError('authentication_error', 'invalid_api_key'),
    });
  });
});
