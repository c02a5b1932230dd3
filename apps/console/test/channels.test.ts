import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import type { AppRouter } from '../src/server/router.js';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

const KEY = 'sk-upstream-Q7mZ2rT9vX4bN8cK1pL6hJ3d';

/** The code and message a call failed with. */
async function failure(call: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data, message } = error as TRPCClientError<AppRouter>;
  return { code: data?.code, message };
}

describe.each(databaseBackends())('console channels on $name', ({ name, skip }) => {
  let server: TestConsole;
  let upstream: FakeUpstream;
  let admin: Awaited<ReturnType<typeof signedInUser>>['api'];
  // PostgreSQL and MySQL run too when their TEST_* variables are set.
  const it = test.skipIf(Boolean(skip));

  beforeAll(async () => {
    if (skip) return;
    server = await startConsole({ backend: name });
    upstream = await startFakeUpstream({ keys: [KEY] });
    admin = (await signedInUser(server, { role: 10 })).api;
  });
  beforeEach(() => upstream?.reset());
  afterAll(async () => {
    await upstream?.close();
    await server?.close();
  });

  /** An OpenAI channel pointing at the fake upstream. */
  const openaiChannel = (extra: Record<string, unknown> = {}) => ({
    name: 'fake openai',
    type: 'openai' as const,
    key: KEY,
    baseUrl: upstream.url,
    models: ['gpt-4o-mini', 'gpt-4o'],
    ...extra,
  });

  const abilities = async (channelId: number) =>
    (
      await server.db.models.Ability.findAll({
        where: { channelId },
        order: [
          ['group', 'ASC'],
          ['model', 'ASC'],
        ],
      })
    ).map((a) => `${a.group}/${a.model}/${a.enabled ? 'on' : 'off'}`);

  const storedCounts = async () => ({
    channels: await server.db.models.Channel.count(),
    abilities: await server.db.models.Ability.count(),
  });

  it('lets an admin create, read, list, update and delete a channel', async () => {
    const { id, ids } = await admin.channel.create.mutate(
      openaiChannel({
        name: 'primary',
        groups: ['default', 'vip'],
        modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
        priority: 5,
        weight: 3,
      }),
    );
    expect(ids).toEqual([id]);
    expect(await admin.channel.get.query({ id })).toMatchObject({
      id,
      name: 'primary',
      type: 'openai',
      status: 1,
      baseUrl: upstream.url,
      models: ['gpt-4o-mini', 'gpt-4o'],
      groups: ['default', 'vip'],
      modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      priority: 5,
      weight: 3,
      keyHint: KEY.slice(-4),
    });
    const list = await admin.channel.list.query();
    expect(list.items.map((c) => c.id)).toContain(id);
    expect(list.total).toBeGreaterThanOrEqual(1);

    const updated = await admin.channel.update.mutate({ id, name: 'renamed', priority: -1 });
    expect(updated).toMatchObject({ id, name: 'renamed', priority: -1, weight: 3 });
    // The key was left out of the update, so it is kept.
    expect((await server.db.repos.channels.getWithKey(id))?.key).toBe(KEY);
    await admin.channel.update.mutate({ id, key: 'sk-replaced-key-0000000000' });
    expect((await server.db.repos.channels.getWithKey(id))?.key).toBe('sk-replaced-key-0000000000');

    expect(await admin.channel.delete.mutate({ id })).toEqual({ ok: true });
    expect(await errorCode(admin.channel.get.query({ id }))).toBe('NOT_FOUND');
    expect(await abilities(id)).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const id = 999_999;
    expect(await errorCode(admin.channel.get.query({ id }))).toBe('NOT_FOUND');
    expect(await errorCode(admin.channel.update.mutate({ id, name: 'x' }))).toBe('NOT_FOUND');
    expect(await errorCode(admin.channel.delete.mutate({ id }))).toBe('NOT_FOUND');
    expect(await errorCode(admin.channel.test.mutate({ id }))).toBe('NOT_FOUND');
    expect(await errorCode(admin.channel.updateBalance.mutate({ id }))).toBe('NOT_FOUND');
  });

  it('refuses every channel procedure to a common user, and to no one signed in', async () => {
    const { id } = await admin.channel.create.mutate(openaiChannel());
    const before = await storedCounts();
    const { api: common } = await signedInUser(server, { role: 1 });
    const anonymous = client(server.base).api;
    for (const [api, code] of [
      [common, 'FORBIDDEN'],
      [anonymous, 'UNAUTHORIZED'],
    ] as const) {
      const calls = [
        api.channel.types.query(),
        api.channel.list.query(),
        api.channel.get.query({ id }),
        api.channel.create.mutate(openaiChannel()),
        api.channel.update.mutate({ id, name: 'taken over' }),
        api.channel.delete.mutate({ id }),
        api.channel.test.mutate({ id }),
        api.channel.updateBalance.mutate({ id }),
      ];
      // Batched into one request: every promise needs its handler before any settles.
      const codes = await Promise.all(calls.map((call) => errorCode(call)));
      expect(codes).toEqual(calls.map(() => code));
    }
    expect(await storedCounts()).toEqual(before);
    expect(await admin.channel.get.query({ id })).toMatchObject({ name: 'fake openai' });
    expect(upstream.requests).toEqual([]);
  });

  it('creates one channel per line of a multi-key input', async () => {
    const keys = [
      'sk-first-key-111111111111',
      'sk-second-key-22222222222',
      'sk-third-key-3333333333',
    ];
    const { id, ids } = await admin.channel.create.mutate(
      openaiChannel({ name: 'pool', key: `${keys[0]}\n\n  ${keys[1]}  \r\n${keys[2]}\n` }),
    );
    expect(ids).toHaveLength(3);
    expect(id).toBe(ids[0]);
    const stored = await Promise.all(ids.map((one) => server.db.repos.channels.getWithKey(one)));
    expect(stored.map((c) => c?.key)).toEqual(keys);
    for (const channel of stored) {
      expect(channel).toMatchObject({ name: 'pool', models: ['gpt-4o-mini', 'gpt-4o'] });
      expect(await abilities(channel!.id)).toEqual(['default/gpt-4o/on', 'default/gpt-4o-mini/on']);
    }
  });

  it('never puts the upstream key in a response', async () => {
    const created = await admin.channel.create.mutate(openaiChannel({ name: 'secretive' }));
    const responses = [
      created,
      await admin.channel.get.query({ id: created.id }),
      await admin.channel.list.query({ pageSize: 100 }),
      await admin.channel.update.mutate({ id: created.id, name: 'still secretive' }),
      await admin.channel.update.mutate({ id: created.id, key: KEY }),
      await admin.channel.test.mutate({ id: created.id }),
      await admin.channel.updateBalance.mutate({ id: created.id }),
    ];
    for (const response of responses) expect(JSON.stringify(response)).not.toContain(KEY);
  });

  it('keeps abilities in step with models, groups and status', async () => {
    const { id } = await admin.channel.create.mutate(
      openaiChannel({ models: ['a', 'b'], groups: ['default', 'vip'] }),
    );
    expect(await abilities(id)).toEqual(['default/a/on', 'default/b/on', 'vip/a/on', 'vip/b/on']);
    await admin.channel.update.mutate({ id, models: ['c'], groups: ['vip'] });
    expect(await abilities(id)).toEqual(['vip/c/on']);
    await admin.channel.update.mutate({ id, status: 2 });
    expect(await abilities(id)).toEqual(['vip/c/off']);
    await admin.channel.update.mutate({ id, status: 1 });
    expect(await abilities(id)).toEqual(['vip/c/on']);
    await admin.channel.delete.mutate({ id });
    expect(await abilities(id)).toEqual([]);
  });

  it('tests a channel with its first model and records the response time', async () => {
    const { id } = await admin.channel.create.mutate(openaiChannel());
    const result = await admin.channel.test.mutate({ id });
    expect(result).toEqual({ ok: true, latencyMs: expect.any(Number) });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}` },
      body: { model: 'gpt-4o-mini', max_tokens: 1 },
    });
    const stored = await admin.channel.get.query({ id });
    expect(stored.responseTime).toBe(result.latencyMs);
    expect(stored.testTime).toBeGreaterThan(0);

    await admin.channel.test.mutate({ id, model: 'gpt-4o' });
    expect(upstream.requests[1]?.body).toMatchObject({ model: 'gpt-4o' });
  });

  it('reports a refused key without revealing it, and still records the test', async () => {
    const wrongKey = 'sk-wrong-W1x2Y3z4A5b6C7d8E9f0G1h2';
    const { id } = await admin.channel.create.mutate(openaiChannel({ key: wrongKey }));
    const result = await admin.channel.test.mutate({ id });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^upstream answered 401: Incorrect API key provided/);
    expect(JSON.stringify(result)).not.toContain(wrongKey);
    // The fake upstream echoed the key it refused: it was there to leak.
    expect(JSON.stringify(upstream.requests[0]?.headers)).toContain(wrongKey);
    const stored = await admin.channel.get.query({ id });
    expect(stored.testTime).toBeGreaterThan(0);
    expect(stored.responseTime).toBe(result.latencyMs);
    expect(stored.status).toBe(1);
  });

  it('re-enables an auto-disabled channel on a passing test, never a manually disabled one', async () => {
    const auto = await admin.channel.create.mutate(openaiChannel({ models: ['m-auto'] }));
    const manual = await admin.channel.create.mutate(openaiChannel({ models: ['m-manual'] }));
    // What the proxy does on an invalid-key error.
    await server.db.repos.channels.setStatus(auto.id, 3, { onlyIf: 1 });
    await admin.channel.update.mutate({ id: manual.id, status: 2 });
    expect(await abilities(auto.id)).toEqual(['default/m-auto/off']);

    upstream.fail({ status: 500, message: 'still down' });
    expect(await admin.channel.test.mutate({ id: auto.id })).toMatchObject({ ok: false });
    expect((await admin.channel.get.query({ id: auto.id })).status).toBe(3);

    upstream.reset();
    expect(await admin.channel.test.mutate({ id: auto.id })).toMatchObject({ ok: true });
    expect(await admin.channel.test.mutate({ id: manual.id })).toMatchObject({ ok: true });
    expect((await admin.channel.get.query({ id: auto.id })).status).toBe(1);
    expect(await abilities(auto.id)).toEqual(['default/m-auto/on']);
    expect((await admin.channel.get.query({ id: manual.id })).status).toBe(2);
    expect(await abilities(manual.id)).toEqual(['default/m-manual/off']);
  });

  it("updates an OpenAI channel's balance from its billing endpoints", async () => {
    upstream.balances.openai = { hardLimitUsd: 120, totalUsageCents: 2050, hasPaymentMethod: true };
    const { id } = await admin.channel.create.mutate(openaiChannel());
    expect(await admin.channel.updateBalance.mutate({ id })).toEqual({ balance: 99.5 });
    expect(upstream.requests.map((r) => r.url.split('?')[0])).toEqual([
      '/v1/dashboard/billing/subscription',
      '/v1/dashboard/billing/usage',
    ]);
    const stored = await admin.channel.get.query({ id });
    expect(stored.balance).toBe(99.5);
    expect(stored.balanceUpdatedTime).toBeGreaterThan(0);
  });

  it('explains a balance it cannot read, without the key', async () => {
    const groq = await admin.channel.create.mutate(
      openaiChannel({ type: 'groq', baseUrl: `${upstream.url}/openai` }),
    );
    expect(await failure(admin.channel.updateBalance.mutate({ id: groq.id }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'balance not supported for groq',
    });

    const { id } = await admin.channel.create.mutate(openaiChannel());
    upstream.fail({ status: 401, message: `Incorrect API key provided: ${KEY}` });
    expect(await failure(admin.channel.updateBalance.mutate({ id }))).toEqual({
      code: 'BAD_GATEWAY',
      message: 'upstream answered 401: Incorrect API key provided: ***',
    });
    expect((await admin.channel.get.query({ id })).balanceUpdatedTime).toBe(0);
  });

  it('refuses invalid input, naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'n'.repeat(129) }, 'name'],
      [{ type: 'bogus' }, 'type'],
      [{ key: '' }, 'key'],
      [{ key: ' \n \n' }, 'key'],
      [{ baseUrl: 'ftp://files.example.com' }, 'baseUrl'],
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ baseUrl: 'https://api.openai.com/v1' }, 'baseUrl'],
      [{ type: 'openai-compatible', baseUrl: undefined }, 'baseUrl'],
      [{ type: 'azure', baseUrl: undefined, config: { apiVersion: '2024-10-21' } }, 'baseUrl'],
      [{ type: 'azure', baseUrl: 'https://r.openai.azure.com' }, 'config.apiVersion'],
      [{ models: [] }, 'models'],
      [{ models: ['gpt-4o', ''] }, 'models.1'],
      [{ models: ['a,b'] }, 'models.0'],
      [{ groups: [''] }, 'groups.0'],
      [{ modelMapping: { 'gpt-4o': 5 } }, 'modelMapping.gpt-4o'],
      [{ priority: 1.5 }, 'priority'],
      [{ weight: -1 }, 'weight'],
    ];
    const before = await storedCounts();
    for (const [change, field] of cases) {
      const input = openaiChannel(change) as Parameters<typeof admin.channel.create.mutate>[0];
      const { code, message } = await failure(admin.channel.create.mutate(input));
      expect(code, field).toBe('BAD_REQUEST');
      expect(message, field).toMatch(new RegExp(`^${field}: `));
    }
    expect(await storedCounts()).toEqual(before);
  });

  it('checks an update against the channel as it will be stored', async () => {
    const { id } = await admin.channel.create.mutate(openaiChannel({ name: 'steady' }));
    const before = await admin.channel.get.query({ id });
    const attempts: [Record<string, unknown>, string][] = [
      [{ type: 'azure', baseUrl: 'https://r.openai.azure.com' }, 'config.apiVersion'],
      [{ type: 'openai-compatible', baseUrl: '' }, 'baseUrl'],
      [{ key: 'sk-one\nsk-two' }, 'key'],
      [{ status: 3 }, 'status'],
      [{ models: [] }, 'models'],
    ];
    for (const [change, field] of attempts) {
      const input = { id, ...change } as Parameters<typeof admin.channel.update.mutate>[0];
      await expect(admin.channel.update.mutate(input), field).rejects.toThrow(
        new RegExp(`^${field}: `),
      );
    }
    expect(await admin.channel.get.query({ id })).toEqual(before);
    expect((await server.db.repos.channels.getWithKey(id))?.key).toBe(KEY);

    // Pointing the channel elsewhere takes its key again (see account-safety.test.ts).
    const azure = await admin.channel.update.mutate({
      id,
      type: 'azure',
      baseUrl: 'https://r.openai.azure.com/',
      config: { apiVersion: '2024-10-21' },
      key: KEY,
    });
    expect(azure).toMatchObject({
      type: 'azure',
      baseUrl: 'https://r.openai.azure.com',
      config: { apiVersion: '2024-10-21' },
    });
  });

  it('pages and filters the list', async () => {
    const tag = `filter-${Date.now()}`;
    const a = await admin.channel.create.mutate(openaiChannel({ name: `${tag}-a` }));
    const b = await admin.channel.create.mutate(
      openaiChannel({ name: `${tag}-b`, type: 'deepseek' }),
    );
    await admin.channel.update.mutate({ id: b.id, status: 2 });

    const byName = await admin.channel.list.query({ keyword: tag });
    expect(byName).toMatchObject({ total: 2 });
    expect(byName.items.map((c) => c.id)).toEqual([b.id, a.id]);
    const firstPage = await admin.channel.list.query({ keyword: tag, page: 1, pageSize: 1 });
    const secondPage = await admin.channel.list.query({ keyword: tag, page: 2, pageSize: 1 });
    expect([...firstPage.items, ...secondPage.items].map((c) => c.id)).toEqual([b.id, a.id]);
    expect(firstPage.total).toBe(2);
    expect(
      (await admin.channel.list.query({ keyword: tag, type: 'deepseek' })).items.map((c) => c.id),
    ).toEqual([b.id]);
    expect(
      (await admin.channel.list.query({ keyword: tag, status: 1 })).items.map((c) => c.id),
    ).toEqual([a.id]);
    expect(
      (await admin.channel.list.query({ keyword: String(a.id) })).items.map((c) => c.id),
    ).toContain(a.id);
  });

  it('lists the channel types for the forms', async () => {
    const types = await admin.channel.types.query();
    expect(types).toContainEqual({
      type: 'openai',
      label: 'OpenAI',
      defaultBaseUrl: 'https://api.openai.com',
      baseUrlRequired: false,
      configFields: [],
    });
    expect(types.find((t) => t.type === 'azure')).toMatchObject({
      baseUrlRequired: true,
      configFields: ['apiVersion'],
    });
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining(['anthropic', 'gemini', 'openai-compatible', 'zhipu']),
    );
  });

  it("offers GroupRatio's groups and the channels' groups to pick from", async () => {
    await server.db.repos.options.setMany({ GroupRatio: JSON.stringify({ default: 1, gold: 2 }) });
    await admin.channel.create.mutate(openaiChannel({ groups: ['default', 'team-a'] }));
    const groups = await admin.channel.groups.query();
    expect(groups).toEqual(expect.arrayContaining(['default', 'gold', 'team-a']));
    expect(new Set(groups).size).toBe(groups.length);
  });
});
