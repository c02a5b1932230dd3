import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLegacyDatabase, type LegacyProject } from '@chat-api/db';
import {
  buildLegacyDatabase,
  databaseBackends,
  LEGACY_CLIENT_KEYS,
  type LegacyFixture,
} from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { consumeLogs, startGateway, type Gateway } from './harness.js';

/** Each project's database on every backend this run has. */
const sources = (['one-api', 'new-api'] as LegacyProject[]).flatMap((project) =>
  databaseBackends()
    .filter((backend) => !backend.skip)
    .map((backend) => ({ project, backend: backend.name })),
);

/**
 * The switch from One API or New API: after the import, the keys users already have answer
 * through this proxy unchanged (only the base URL is new), with the quota and limits they had.
 */
describe.each(sources)('keys imported from $project on $backend', ({ project, backend }) => {
  let fixture: LegacyFixture;
  let gateway: Gateway;
  let upstream: FakeUpstream;
  const keys = LEGACY_CLIENT_KEYS[project];
  const client = (apiKey: string) =>
    new OpenAI({ apiKey, baseURL: `${gateway.base}/v1`, maxRetries: 0 });
  const ask = (apiKey: string, model = 'gpt-4o-mini') =>
    client(apiKey).chat.completions.create({
      model,
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hello' }],
    });
  const refusal = (apiKey: string, model?: string) =>
    ask(apiKey, model).then(
      () => 'answered',
      (error: unknown) =>
        error instanceof OpenAI.APIError ? `${error.status} ${error.code}` : error,
    );

  beforeAll(async () => {
    fixture = await buildLegacyDatabase(project, backend);
    gateway = await startGateway();
    upstream = await startFakeUpstream({ reply: 'hi from the upstream' });
    await importLegacyDatabase(gateway.db, fixture.source);
    // The imported OpenAI channel, pointed at the test's upstream instead of api.openai.com.
    const channels = await gateway.db.repos.channels.list();
    const openai = channels.find((channel) => channel.name === 'OpenAI main')!;
    await gateway.db.repos.channels.update(openai.id, { baseUrl: upstream.url });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await fixture?.drop();
  });

  it('answers with an imported key and bills it from the quota it had', async () => {
    const before = await gateway.db.repos.tokens.findByKey(keys.enabled);
    expect(before).toMatchObject({ remainQuota: 500_000, usedQuota: 1000 });
    const answer = await ask(keys.enabled);
    expect(answer.choices[0]?.message.content).toBe('hi from the upstream');
    const [log] = await consumeLogs(gateway, 1);
    expect(log!.quota).toBeGreaterThan(0);
    expect(await gateway.db.repos.tokens.findByKey(keys.enabled)).toMatchObject({
      remainQuota: 500_000 - log!.quota,
      usedQuota: 1000 + log!.quota,
    });
    expect((await ask(keys.unlimited)).choices[0]?.message.content).toBe('hi from the upstream');
    // Clients of the old gateways may send the key as it stored it, without `sk-`.
    expect((await ask(keys.enabled.slice(3))).choices[0]?.message.content).toBe(
      'hi from the upstream',
    );
  });

  it('refuses the keys the old gateway refused, for the same reasons', async () => {
    expect(await refusal(keys.disabled)).toBe('401 token_disabled');
    expect(await refusal(keys.expired)).toBe('401 token_expired');
    expect(await refusal(keys.exhausted)).toBe('401 token_exhausted');
    // Allowed from 10.0.0.0/8 and 192.168.1.0/24 only; this test calls from 127.0.0.1.
    expect(await refusal(keys.limited)).toBe('403 ip_not_allowed');
  });
});
