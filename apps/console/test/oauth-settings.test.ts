import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, signedInUser, type TestConsole } from './helpers.js';
import { FakeProvider } from './oauth-fake-provider.js';
import { Browser, outcome, startOAuthConsole } from './oauth-helpers.js';

const MASK = '********';

describe('third-party sign-in settings', () => {
  let provider: FakeProvider;
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    provider = await new FakeProvider().start();
    server = await startOAuthConsole(provider);
    root = await signedInUser(server, { role: 100 });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it('are off until root turns them on', async () => {
    const options = await root.api.option.list.query();
    expect(options).toMatchObject({
      GitHubOAuthEnabled: 'false',
      OidcEnabled: 'false',
      OidcDisplayName: 'OIDC',
      GitHubClientId: '',
      GitHubClientSecret: '',
      OidcWellKnown: '',
      OidcClientId: '',
      OidcClientSecret: '',
    });
    expect(await new Browser(server.base).api.identity.providers.query()).toEqual([]);
  });

  it('mask the client secrets, and saving the mask back keeps them', async () => {
    await root.api.option.update.mutate({
      values: {
        GitHubOAuthEnabled: 'true',
        GitHubClientId: provider.clientId,
        GitHubClientSecret: provider.clientSecret,
        OidcEnabled: 'true',
        OidcWellKnown: provider.wellKnown,
        OidcClientId: provider.clientId,
        OidcClientSecret: provider.clientSecret,
      },
    });
    const listed = await root.api.option.list.query();
    expect(listed).toMatchObject({
      GitHubClientId: provider.clientId,
      GitHubClientSecret: MASK,
      OidcWellKnown: provider.wellKnown,
      OidcClientId: provider.clientId,
      OidcClientSecret: MASK,
    });
    expect(JSON.stringify(listed)).not.toContain(provider.clientSecret);

    // The settings page sends every field back as shown.
    await root.api.option.update.mutate({
      values: { GitHubClientSecret: MASK, OidcClientSecret: MASK, OidcDisplayName: 'Corp SSO' },
    });
    provider.user = { id: '42', login: 'after-mask' };
    for (const method of ['github', 'oidc'] as const) {
      const browser = new Browser(server.base);
      expect(outcome(await browser.signInWith(method)).path).toBe('/');
      expect((await browser.api.auth.me.query()).username).toMatch(/^after-mask/);
    }
    expect(await new Browser(server.base).api.identity.providers.query()).toEqual([
      { provider: 'github', displayName: 'GitHub' },
      { provider: 'oidc', displayName: 'Corp SSO' },
    ]);
  });

  it('cannot be read or changed by a common user or an admin', async () => {
    for (const role of [1, 10]) {
      const someone = await signedInUser(server, { role });
      expect(await errorCode(someone.api.option.list.query())).toBe('FORBIDDEN');
      expect(
        await errorCode(
          someone.api.option.update.mutate({ values: { GitHubClientSecret: 'mine' } }),
        ),
      ).toBe('FORBIDDEN');
      expect(
        await errorCode(someone.api.option.update.mutate({ values: { OidcEnabled: 'false' } })),
      ).toBe('FORBIDDEN');
    }
    const stored = await server.db.repos.options.effective();
    expect(stored.GitHubClientSecret).toBe(provider.clientSecret);
    expect(stored.OidcEnabled).toBe('true');
  });

  it('leave a method off while it lacks its client id', async () => {
    await root.api.option.update.mutate({ values: { GitHubClientId: '' } });
    expect(
      (await new Browser(server.base).api.identity.providers.query()).map((m) => m.provider),
    ).toEqual(['oidc']);
    expect(outcome(await new Browser(server.base).signInWith('github')).error).toBe('disabled');
  });

  it('say so when the OpenID Connect provider cannot be reached', async () => {
    await root.api.option.update.mutate({
      values: { OidcWellKnown: 'http://127.0.0.1:9/.well-known/openid-configuration' },
    });
    const landing = await new Browser(server.base).signInWith('oidc');
    expect(outcome(landing)).toEqual({ path: '/login', error: 'provider', result: null });
  });
});
