import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheKeys, isSecretOption, OPTION_DEFINITIONS } from '@chat-api/db';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

describe('options', () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
  });
  afterAll(() => server?.close());

  it('lists every option with its default, as strings', async () => {
    const options = await root.api.option.list.query();
    expect(options).toMatchObject({
      QuotaPerUnit: '500000',
      RetryTimes: '2',
      RegisterEnabled: 'true',
      // A switch named after passwords is not a credential: its value shows.
      PasswordLoginEnabled: 'true',
      ModelRatio: expect.stringContaining('"gpt-4o":1.25'),
      CreateCacheRatio: expect.stringContaining('"claude-opus-5-5":1.25'),
    });
  });

  it('stores valid values, keeping "0" and ""', async () => {
    await root.api.option.update.mutate({
      values: {
        RetryTimes: '0',
        Notice: '',
        ModelRatio: '{"gpt-4o":1.25}',
        CreateCacheRatio: '{"claude-sonnet-5-5":2}',
        SystemName: '我的网关 🚀',
      },
    });
    expect(await root.api.option.list.query()).toMatchObject({
      RetryTimes: '0',
      Notice: '',
      ModelRatio: '{"gpt-4o":1.25}',
      CreateCacheRatio: '{"claude-sonnet-5-5":2}',
      SystemName: '我的网关 🚀',
    });
  });

  it('refuses a bad value naming the option, and writes none of the batch', async () => {
    for (const [values, message] of [
      [{ RetryTimes: '5', ModelRatio: '{"gpt-4o": oops}' }, /^ModelRatio: invalid JSON/],
      [{ RetryTimes: 'three' }, /^RetryTimes: expected a number/],
      [{ RegisterEnabled: 'yes' }, /^RegisterEnabled: expected true or false/],
      [{ GroupRatio: '{"vip":-1}' }, /^GroupRatio: "vip" must map to a number ≥ 0/],
      [{ CreateCacheRatio: '[1.25]' }, /^CreateCacheRatio: expected a JSON object/],
      [{ NoSuchOption: '1' }, /^NoSuchOption: unknown option/],
    ] as const) {
      await expect(root.api.option.update.mutate({ values })).rejects.toThrow(message);
    }
    expect((await root.api.option.list.query()).RetryTimes).toBe('0');
  });

  it('is root-only', async () => {
    const admin = await signedInUser(server, { role: 10 });
    expect(await errorCode(admin.api.option.list.query())).toBe('FORBIDDEN');
    expect(await errorCode(admin.api.option.update.mutate({ values: { RetryTimes: '1' } }))).toBe(
      'FORBIDDEN',
    );
  });

  it('announces a change to every node through the cache', async () => {
    let loads = 0;
    const read = () =>
      server.db.cache.getOrLoad(CacheKeys.options, async () => ({ loads: ++loads }));
    await read();
    await read();
    expect(loads).toBe(1);
    await root.api.option.update.mutate({ values: { RetryTimes: '3' } });
    await read();
    expect(loads).toBe(2);
  });

  it('tells anyone the site facts the sign-in pages and API examples need', async () => {
    await root.api.option.update.mutate({
      values: {
        SystemName: 'Gateway',
        Notice: 'Maintenance at 22:00',
        PasswordRegisterEnabled: 'false',
        DisplayInCurrencyEnabled: 'false',
        ServerAddress: 'https://api.example.com/',
        Logo: 'https://example.com/logo.png',
        Footer: '© Example 2026',
        About: 'Run by Example',
        ChatLink: 'https://chat.example.com',
      },
    });
    const status = await client(server.base).api.option.status.query();
    expect(status).toEqual({
      systemName: 'Gateway',
      notice: 'Maintenance at 22:00',
      registerEnabled: true,
      passwordLoginEnabled: true,
      passwordRegisterEnabled: false,
      emailVerificationEnabled: false,
      passwordResetEnabled: false,
      turnstileSiteKey: '',
      quotaPerUnit: 500000,
      displayInCurrency: false,
      topUpLink: '',
      logo: 'https://example.com/logo.png',
      footer: '© Example 2026',
      about: 'Run by Example',
      chatLink: 'https://chat.example.com',
      proxyBaseUrl: 'https://api.example.com',
      proxyPort: 3000,
    });
  });

  it('shows an anonymous caller only the listed facts, no credential', async () => {
    // Credentials by name (the Password…Enabled switches are booleans, not credentials).
    const credentials = Object.entries(OPTION_DEFINITIONS)
      .filter(([key, definition]) => isSecretOption(key) && definition.type === 'string')
      .map(([key]) => key);
    if (credentials.length > 0) {
      await root.api.option.update.mutate({
        values: Object.fromEntries(credentials.map((key) => [key, `credential-${key}`])),
      });
    }
    const status = await client(server.base).api.option.status.query();
    expect(JSON.stringify(status)).not.toContain('credential-');
    // A new field has to be added here deliberately, after checking it is not a secret.
    expect(Object.keys(status).sort()).toEqual([
      'about',
      'chatLink',
      'displayInCurrency',
      'emailVerificationEnabled',
      'footer',
      'logo',
      'notice',
      'passwordLoginEnabled',
      'passwordRegisterEnabled',
      'passwordResetEnabled',
      'proxyBaseUrl',
      'proxyPort',
      'quotaPerUnit',
      'registerEnabled',
      'systemName',
      'topUpLink',
      'turnstileSiteKey',
    ]);
  });
});
