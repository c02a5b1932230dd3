import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, signedInUser, type TestConsole } from './helpers.js';
import { FakeProvider, type IdTokenFault } from './oauth-fake-provider.js';
import { Browser, outcome, startOAuthConsole } from './oauth-helpers.js';

describe('signing in with GitHub or OpenID Connect', () => {
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

  beforeEach(async () => {
    provider.user = null;
    provider.idTokenFault = null;
    await root.api.option.update.mutate({
      values: {
        RegisterEnabled: 'true',
        QuotaForNewUser: '2500',
        GitHubOAuthEnabled: 'true',
        GitHubClientId: provider.clientId,
        GitHubClientSecret: provider.clientSecret,
        OidcEnabled: 'true',
        OidcDisplayName: 'Example ID',
        OidcWellKnown: provider.wellKnown,
        OidcClientId: provider.clientId,
        OidcClientSecret: provider.clientSecret,
      },
    });
  });

  const userCount = async () => (await server.db.repos.users.list({ page: 1, pageSize: 1 })).total;

  it('shows the sign-in pages which methods are on, with their labels', async () => {
    const visitor = new Browser(server.base);
    expect(await visitor.api.identity.providers.query()).toEqual([
      { provider: 'github', displayName: 'GitHub' },
      { provider: 'oidc', displayName: 'Example ID' },
    ]);
    await root.api.option.update.mutate({ values: { GitHubOAuthEnabled: 'false' } });
    expect(await visitor.api.identity.providers.query()).toEqual([
      { provider: 'oidc', displayName: 'Example ID' },
    ]);
  });

  it('sends the browser to GitHub with a state and an S256 PKCE challenge', async () => {
    provider.user = { id: '1', login: 'nobody' };
    const browser = new Browser(server.base);
    const landing = await browser.navigate('/api/oauth/github/start', (url) =>
      url.href.startsWith(provider.base),
    );
    const query = landing.url.searchParams;
    expect(landing.url.pathname).toBe('/login/oauth/authorize');
    expect(query.get('client_id')).toBe(provider.clientId);
    expect(query.get('redirect_uri')).toBe(`${server.base}/api/oauth/github/callback`);
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query.get('state')).toMatch(/^[\w-]{20,}$/);
  });

  it('makes a user and a session on a first GitHub sign-in, and finds them again next time', async () => {
    provider.user = {
      id: '583231',
      login: 'octo-cat',
      name: 'The Octocat',
      email: 'octo@example.com',
      emailVerified: true,
    };
    const before = await userCount();
    const first = new Browser(server.base);
    expect(outcome(await first.signInWith('github'))).toEqual({
      path: '/',
      error: null,
      result: null,
    });
    const me = await first.api.auth.me.query();
    expect(me).toMatchObject({
      username: 'octo-cat',
      displayName: 'The Octocat',
      role: 1,
      quota: 2500,
      mustChangePassword: false,
    });
    expect((await server.db.repos.users.findById(me.id))?.email).toBe('octo@example.com');
    expect(await first.api.identity.list.query()).toEqual([
      expect.objectContaining({ provider: 'github', login: 'octo-cat', email: 'octo@example.com' }),
    ]);
    // The code was exchanged with the PKCE verifier (the fake refuses it otherwise).
    expect(provider.tokenRequests.at(-1)?.code_verifier).toMatch(/^[\w-]{43,128}$/);

    const again = new Browser(server.base);
    expect(outcome(await again.signInWith('github')).path).toBe('/');
    expect((await again.api.auth.me.query()).id).toBe(me.id);
    expect(await userCount()).toBe(before + 1);
  });

  it('never signs someone in to a local account that has their GitHub login as its name', async () => {
    const local = await signedInUser(server);
    provider.user = { id: '777', login: local.user.username };
    const browser = new Browser(server.base);
    expect(outcome(await browser.signInWith('github')).path).toBe('/');
    const me = await browser.api.auth.me.query();
    expect(me.id).not.toBe(local.user.id);
    expect(me.username).toMatch(new RegExp(`^${local.user.username}_[a-z0-9]{5}$`));
  });

  it("keeps control characters in the provider's names out of the account", async () => {
    provider.user = { id: '779', login: 'eve\u001b[31m', name: 'Eve\u0000 Evil' };
    const browser = new Browser(server.base);
    expect(outcome(await browser.signInWith('github')).path).toBe('/');
    const me = await browser.api.auth.me.query();
    expect(me.displayName).toBe('Eve Evil');
    expect(me.username).toBe('eve_31m');
  });

  it('leaves out an email GitHub has not verified', async () => {
    provider.user = { id: '778', login: 'unverified', email: 'maybe@example.com' };
    const browser = new Browser(server.base);
    await browser.signInWith('github');
    const me = await browser.api.auth.me.query();
    expect((await server.db.repos.users.findById(me.id))?.email).toBe('');
  });

  it('leaves out an email another account has, so one address stays one account', async () => {
    const holder = await signedInUser(server);
    await root.api.user.update.mutate({ id: holder.user.id, email: 'shared@example.com' });
    provider.user = {
      id: '780',
      login: 'same-address',
      email: 'Shared@Example.com',
      emailVerified: true,
    };
    const browser = new Browser(server.base);
    await browser.signInWith('github');
    const me = await browser.api.auth.me.query();
    expect(me.id).not.toBe(holder.user.id);
    expect((await server.db.repos.users.findById(me.id))?.email).toBe('');
  });

  it('signs in with OpenID Connect, checked ID token and all, the same way', async () => {
    provider.user = {
      id: 'a1b2c3',
      login: 'alice',
      name: 'Alice',
      email: 'alice@example.org',
      emailVerified: true,
    };
    const first = new Browser(server.base);
    expect(outcome(await first.signInWith('oidc')).path).toBe('/');
    const me = await first.api.auth.me.query();
    expect(me).toMatchObject({ username: 'alice', displayName: 'Alice', quota: 2500 });
    expect(await first.api.identity.list.query()).toEqual([
      expect.objectContaining({ provider: 'oidc', login: 'alice', email: 'alice@example.org' }),
    ]);
    const again = new Browser(server.base);
    await again.signInWith('oidc');
    expect((await again.api.auth.me.query()).id).toBe(me.id);
  });

  it.each<IdTokenFault>(['audience', 'signature', 'nonce', 'expiry', 'issuer'])(
    'refuses an ID token with a bad %s: no user, no session',
    async (fault) => {
      provider.user = { id: `bad-${fault}`, login: `mallory-${fault}` };
      provider.idTokenFault = fault;
      const before = await userCount();
      const browser = new Browser(server.base);
      expect(outcome(await browser.signInWith('oidc'))).toEqual({
        path: '/login',
        error: 'provider',
        result: null,
      });
      expect(await errorCode(browser.api.auth.me.query())).toBe('UNAUTHORIZED');
      expect(await userCount()).toBe(before);
    },
  );

  it('refuses a callback whose state is not the one this browser was given', async () => {
    provider.user = { id: '900', login: 'state-test' };
    const browser = new Browser(server.base);
    const callback = await browser.navigate('/api/oauth/github/start', (url) =>
      url.pathname.endsWith('/callback'),
    );
    callback.url.searchParams.set('state', 'forged-state');
    expect(outcome(await browser.navigate(callback.url)).error).toBe('state');
    expect(await errorCode(browser.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it("refuses someone else's callback link (login CSRF): the flow belongs to the browser that began it", async () => {
    provider.user = { id: '901', login: 'attacker' };
    const attacker = new Browser(server.base);
    const callback = await attacker.navigate('/api/oauth/github/start', (url) =>
      url.pathname.endsWith('/callback'),
    );
    const victim = new Browser(server.base);
    expect(outcome(await victim.navigate(callback.url)).error).toBe('state');
    expect(await errorCode(victim.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('refuses a replayed callback, even with the flow cookie copied', async () => {
    provider.user = { id: '902', login: 'replayed' };
    const browser = new Browser(server.base);
    const callback = await browser.navigate('/api/oauth/oidc/start', (url) =>
      url.pathname.endsWith('/callback'),
    );
    const copy = new Browser(server.base);
    for (const [name, value] of browser.jar) copy.jar.set(name, value);
    expect(outcome(await browser.navigate(callback.url)).path).toBe('/');
    expect(outcome(await copy.navigate(callback.url)).error).toBe('state');
    expect(await errorCode(copy.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('says so when the person declines at the provider', async () => {
    provider.user = null;
    const browser = new Browser(server.base);
    expect(outcome(await browser.signInWith('github')).error).toBe('denied');
  });

  it('creates no user while registration is closed, and says so; known accounts still sign in', async () => {
    provider.user = { id: '5150', login: 'known' };
    const known = new Browser(server.base);
    await known.signInWith('github');
    const knownId = (await known.api.auth.me.query()).id;
    await root.api.option.update.mutate({ values: { RegisterEnabled: 'false' } });

    provider.user = { id: '5151', login: 'newcomer' };
    const before = await userCount();
    const newcomer = new Browser(server.base);
    expect(outcome(await newcomer.signInWith('github'))).toEqual({
      path: '/login',
      error: 'registration_closed',
      result: null,
    });
    expect(await userCount()).toBe(before);
    expect(await server.db.repos.users.findByUsername('newcomer')).toBeNull();

    provider.user = { id: '5150', login: 'known' };
    const back = new Browser(server.base);
    await back.signInWith('github');
    expect((await back.api.auth.me.query()).id).toBe(knownId);
  });

  it('refuses to start a method root switched off, without going to the provider', async () => {
    await root.api.option.update.mutate({
      values: { GitHubOAuthEnabled: 'false', OidcEnabled: 'false' },
    });
    for (const method of ['github', 'oidc'] as const) {
      const browser = new Browser(server.base);
      const landing = await browser.signInWith(method);
      expect(outcome(landing)).toEqual({ path: '/login', error: 'disabled', result: null });
      expect(landing.hops.some((url) => url.origin === provider.base)).toBe(false);
    }
  });

  it('refuses a sign-in that was under way when root switched the method off', async () => {
    provider.user = { id: '903', login: 'midway' };
    const browser = new Browser(server.base);
    const callback = await browser.navigate('/api/oauth/github/start', (url) =>
      url.pathname.endsWith('/callback'),
    );
    await root.api.option.update.mutate({ values: { GitHubOAuthEnabled: 'false' } });
    expect(outcome(await browser.navigate(callback.url)).error).toBe('disabled');
    expect(await errorCode(browser.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('does not sign in a disabled user', async () => {
    provider.user = { id: '904', login: 'to-disable' };
    const first = new Browser(server.base);
    await first.signInWith('github');
    const { id } = await first.api.auth.me.query();
    await root.api.user.update.mutate({ id, status: 2 });
    const later = new Browser(server.base);
    expect(outcome(await later.signInWith('github')).error).toBe('account_disabled');
    expect(await errorCode(later.api.auth.me.query())).toBe('UNAUTHORIZED');
  });

  it('gives a user made by GitHub sign-in no password that anyone could guess', async () => {
    provider.user = { id: '905', login: 'no-password' };
    const browser = new Browser(server.base);
    await browser.signInWith('github');
    const visitor = new Browser(server.base);
    for (const password of ['', 'x', 'password-123']) {
      expect(
        await errorCode(visitor.api.auth.login.mutate({ username: 'no-password', password })),
      ).toMatch(/UNAUTHORIZED|BAD_REQUEST/);
    }
  });
});
