import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

describe('chat completions through the gateway (official openai SDK)', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: 'Hello from the fake upstream model' });
    await addChannel(gateway, {
      baseUrl: upstream.url,
      models: ['gpt-4o-mini', 'gpt-4o'],
      modelMapping: { 'gpt-4o': 'upstream-gpt-4o' },
    });
    ({ key } = await createKey(gateway));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('answers, and bills exactly the usage the upstream reported', async () => {
    const client = openai(gateway, key);
    const { data: completion, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say hello' }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake upstream model');
    expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 6 });

    const [log] = await consumeLogs(gateway, 1);
    // gpt-4o-mini: ratio 0.075, completion ratio 4 → ceil((5 + 6 × 4) × 0.075) = 3
    expect(log).toMatchObject({
      model: 'gpt-4o-mini',
      promptTokens: 5,
      completionTokens: 6,
      quota: 3,
      isStream: false,
    });
    expect(log?.requestId).toBe(response.headers.get('x-request-id'));
    expect(log?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('passes tools, tool_calls and unknown fields through untouched', async () => {
    upstream.reset();
    const client = openai(gateway, key);
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'weather in Paris?' }],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      vendor_extension: { keep: ['me', 1, null] },
    };
    const completion = await client.chat.completions.create(body);
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'get_weather' },
    });
    const seen = upstream.requests[0]!;
    expect(seen.body).toMatchObject({
      tools: body.tools,
      vendor_extension: { keep: ['me', 1, null] },
    });
    // An unchanged body goes upstream byte for byte.
    expect(seen.rawBody.toString()).toBe(JSON.stringify(body));
  });

  it('maps the model upstream while the log keeps the requested one', async () => {
    upstream.reset();
    await openai(gateway, key).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(upstream.requests[0]?.body).toMatchObject({ model: 'upstream-gpt-4o' });
    const logs = await consumeLogs(gateway, 3);
    expect(logs[0]?.model).toBe('gpt-4o');
  });

  it('lists the models the key may use', async () => {
    const models = await openai(gateway, key).models.list();
    expect(models.data.map((model) => model.id)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    const limited = await createKey(gateway, { models: ['gpt-4o'] });
    const only = await openai(gateway, limited.key).models.list();
    expect(only.data.map((model) => model.id)).toEqual(['gpt-4o']);
    expect((await openai(gateway, key).models.retrieve('gpt-4o')).id).toBe('gpt-4o');
    await expect(openai(gateway, limited.key).models.retrieve('gpt-4o-mini')).rejects.toMatchObject(
      { status: 404 },
    );
  });

  it('puts a request id on every response, errors included', async () => {
    const response = await fetch(`${gateway.base}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
