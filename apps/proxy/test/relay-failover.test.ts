import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChannelStatus } from '@chat-api/db';
import { startFakeUpstream, type FakeMishap, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';
import { freePort } from './loopback.js';

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('failover across channels', () => {
  let gateway: Gateway;
  let primary: FakeUpstream;
  let secondary: FakeUpstream;
  let backup: FakeUpstream;
  let key: string;
  const channelIds: number[] = [];

  beforeAll(async () => {
    gateway = await startGateway({ relayTimeoutSeconds: 1 });
    primary = await startFakeUpstream({ reply: 'from primary' });
    secondary = await startFakeUpstream({ reply: 'from secondary' });
    backup = await startFakeUpstream({ reply: 'from backup' });
    // Priority 10 holds one channel; 0 holds the backup. RetryTimes defaults to 2.
    for (const [upstream, priority] of [
      [primary, 10],
      [secondary, 5],
      [backup, 0],
    ] as const) {
      channelIds.push(
        (await addChannel(gateway, { baseUrl: upstream.url, priority, name: `p${priority}` })).id,
      );
    }
    ({ key } = await createKey(gateway));
  });
  afterEach(async () => {
    for (const upstream of [primary, secondary, backup]) upstream.reset();
    for (const id of channelIds)
      await gateway.db.repos.channels.setStatus(id, ChannelStatus.enabled);
  });
  afterAll(async () => {
    await gateway?.close();
    for (const upstream of [primary, secondary, backup]) await upstream?.close();
  });

  it.each<[string, FakeMishap]>([
    ['a dropped connection', 'drop'],
    ['a timeout', 'hang'],
    [
      '429',
      { status: 429, message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
    ],
    ['500', { status: 500, message: 'The server had an error', type: 'server_error' }],
    ['403', { status: 403, message: 'Country not supported', type: 'invalid_request_error' }],
    ['a connection that breaks inside a whole answer', 'cut-body'],
  ])('retries %s on the next priority, never the failed channel', async (_name, mishap) => {
    primary.failNext(mishap, 5);
    const completion = await openai(gateway, key).chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('from secondary');
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toHaveLength(1);
  });

  it('retries a stream that breaks before its first byte reached the client', async () => {
    primary.dropStreamAfter(0);
    const stream = await openai(gateway, key).chat.completions.create({ ...chat, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('from secondary');
    expect(primary.requests).toHaveLength(1);
  });

  it('walks down the priorities while channels keep failing', async () => {
    primary.failNext({ status: 502, message: 'bad gateway' }, 5);
    secondary.failNext({ status: 503, message: 'overloaded' }, 5);
    const completion = await openai(gateway, key).chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('from backup');
  });

  it('retries a refused connection', async () => {
    const dead = await addChannel(gateway, {
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      priority: 20,
    });
    try {
      const completion = await openai(gateway, key).chat.completions.create(chat);
      expect(completion.choices[0]?.message.content).toBe('from primary');
    } finally {
      await gateway.db.repos.channels.delete(dead.id);
    }
  });

  it('never offers channels of a type this build cannot call, however many outrank a working one', async () => {
    // Rows of a type this build does not know (written by a newer node, or imported) are kept
    // but never picked. More of them than RetryTimes allows attempts: none may use one up.
    const uncallable = [];
    for (const type of ['future-provider', 'retired-provider', 'future-provider']) {
      uncallable.push(await addChannel(gateway, { type, baseUrl: backup.url, priority: 30 }));
    }
    try {
      const completion = await openai(gateway, key).chat.completions.create(chat);
      expect(completion.choices[0]?.message.content).toBe('from primary');
      expect(backup.requests).toHaveLength(0);
    } finally {
      for (const channel of uncallable) await gateway.db.repos.channels.delete(channel.id);
    }
  });

  it('passes over a misconfigured channel (Azure without an api-version) to the next', async () => {
    const azure = await addChannel(gateway, {
      type: 'azure',
      baseUrl: backup.url,
      priority: 30,
      config: {},
    });
    try {
      const completion = await openai(gateway, key).chat.completions.create(chat);
      expect(completion.choices[0]?.message.content).toBe('from primary');
      expect(backup.requests).toHaveLength(0);
    } finally {
      await gateway.db.repos.channels.delete(azure.id);
    }
  });

  it('keeps a channel whose upstream echoes a client value that reads like a billing error', async () => {
    await gateway.db.repos.options.setMany({ AutomaticDisableChannelEnabled: 'true' });
    primary.failNext({
      status: 400,
      message: "Invalid value: 'billing'. Supported values are: 'system', 'user'.",
      type: 'invalid_request_error',
      code: 'invalid_value',
    });
    const error = await openai(gateway, key)
      .chat.completions.create(chat)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    // A disable is one UPDATE fired as the error is answered: it would have landed by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await gateway.db.repos.channels.get(channelIds[0]!))?.status).toBe(
      ChannelStatus.enabled,
    );
    const completion = await openai(gateway, key).chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('from primary');
  });

  it("does not retry the client's own 400, and passes the upstream error through", async () => {
    primary.failNext({
      status: 400,
      message: "Invalid value for 'temperature'",
      type: 'invalid_request_error',
      code: 'invalid_value',
    });
    const error = await openai(gateway, key)
      .chat.completions.create(chat)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_value',
      message: expect.stringContaining('temperature'),
    });
    expect(secondary.requests).toHaveLength(0);
  });

  it('answers with the last upstream error when every channel failed, without the upstream key', async () => {
    for (const upstream of [primary, secondary, backup]) {
      upstream.failNext(
        { status: 500, message: 'boom with key sk-upstream-test-key-0123456789 inside' },
        5,
      );
    }
    const error = await openai(gateway, key)
      .chat.completions.create(chat)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    expect(JSON.stringify(error)).not.toContain('sk-upstream-test-key');
  });

  it('disables a channel whose key the upstream refuses, and re-routes', async () => {
    primary.failNext({
      status: 401,
      message: 'Incorrect API key provided',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
    const completion = await openai(gateway, key).chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('from secondary');
    await expect
      .poll(async () => (await gateway.db.repos.channels.get(channelIds[0]!))?.status)
      .toBe(ChannelStatus.autoDisabled);
    // The administrators are told (by the master's notification sender), with the upstream's word.
    const [notice] = await gateway.db.repos.notifications.list(1);
    expect(notice).toMatchObject({
      event: 'channel.disabled',
      status: 'pending',
      data: {
        channelId: channelIds[0],
        reason: 'upstream answered 401: Incorrect API key provided',
        automatic: true,
      },
    });
    // Once the change reaches the routing table, the disabled channel is skipped entirely.
    await expect
      .poll(async () => {
        secondary.reset();
        await openai(gateway, key).chat.completions.create(chat);
        return primary.requests.length;
      })
      .toBe(1);
  });

  it('disables a channel on an operator keyword', async () => {
    await gateway.db.repos.options.setMany({ AutomaticDisableKeywords: 'Account suspended' });
    primary.failNext({ status: 500, message: 'Your account suspended for abuse' }, 1);
    await openai(gateway, key).chat.completions.create(chat);
    await expect
      .poll(async () => (await gateway.db.repos.channels.get(channelIds[0]!))?.status)
      .toBe(ChannelStatus.autoDisabled);
  });

  it('never sends to a channel disabled by hand', async () => {
    await gateway.db.repos.channels.setStatus(channelIds[0]!, ChannelStatus.manuallyDisabled);
    await gateway.db.repos.channels.setStatus(channelIds[1]!, ChannelStatus.manuallyDisabled);
    for (let i = 0; i < 5; i++) await openai(gateway, key).chat.completions.create(chat);
    expect(primary.requests).toHaveLength(0);
    expect(secondary.requests).toHaveLength(0);
    expect(backup.requests).toHaveLength(5);
  });

  it('bills only the attempt that answered', async () => {
    primary.failNext({ status: 500, message: 'boom' });
    const { response } = await openai(gateway, key).chat.completions.create(chat).withResponse();
    const requestId = response.headers.get('x-request-id');
    const log = await consumeLogOf(gateway, requestId);
    expect(log.channelId).toBe(channelIds[1]);
    const logs = await consumeLogs(gateway, Infinity, 0);
    expect(logs.filter((item) => item.requestId === requestId)).toHaveLength(1);
  });
});
