import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, failure, signedInUser, type TestConsole } from './helpers.js';
import { FakeProvider } from './oauth-fake-provider.js';
import { Browser, outcome, startOAuthConsole } from './oauth-helpers.js';

/** A signed-in user of the console (username and password) in a browser of their own. */
async function browserOf(server: TestConsole) {
  const { user, password } = await signedInUser(server);
  const browser = new Browser(server.base);
  await browser.api.auth.login.mutate({ username: user.username, password });
  return { user, browser };
}

describe('binding GitHub and OpenID Connect accounts to a console user', () => {
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
    await root.api.option.update.mutate({
      values: {
        RegisterEnabled: 'true',
        PasswordLoginEnabled: 'true',
        GitHubOAuthEnabled: 'true',
        GitHubClientId: provider.clientId,
        GitHubClientSecret: provider.clientSecret,
        OidcEnabled: 'true',
        OidcWellKnown: provider.wellKnown,
        OidcClientId: provider.clientId,
        OidcClientSecret: provider.clientSecret,
      },
    });
  });

  it('binds a GitHub account to the signed-in user, who can then sign in with it', async () => {
    const { user, browser } = await browserOf(server);
    provider.user = { id: '1001', login: 'binder-gh' };
    expect(outcome(await browser.signInWith('github', 'bind'))).toEqual({
      path: '/profile',
      error: null,
      result: 'bound',
    });
    expect(await browser.api.identity.list.query()).toEqual([
      expect.objectContaining({ provider: 'github', login: 'binder-gh' }),
    ]);
    const elsewhere = new Browser(server.base);
    expect(outcome(await elsewhere.signInWith('github')).path).toBe('/');
    expect((await elsewhere.api.auth.me.query()).id).toBe(user.id);
  });

  it('refuses an account already bound to another user, and leaves it with them', async () => {
    const owner = await browserOf(server);
    provider.user = { id: '1002', login: 'contested' };
    await owner.browser.signInWith('oidc', 'bind');
    const other = await browserOf(server);
    expect(outcome(await other.browser.signInWith('oidc', 'bind'))).toEqual({
      path: '/profile',
      error: 'taken',
      result: null,
    });
    expect(await other.browser.api.identity.list.query()).toEqual([]);
    const signIn = new Browser(server.base);
    await signIn.signInWith('oidc');
    expect((await signIn.api.auth.me.query()).id).toBe(owner.user.id);
  });

  it('refuses a second account of the same provider for one user', async () => {
    const { browser } = await browserOf(server);
    provider.user = { id: '1003', login: 'first-gh' };
    await browser.signInWith('github', 'bind');
    provider.user = { id: '1004', login: 'second-gh' };
    expect(outcome(await browser.signInWith('github', 'bind')).error).toBe('already_bound');
    expect((await browser.api.identity.list.query()).map((i) => i.login)).toEqual(['first-gh']);
  });

  it('asks to sign in first when no one is signed in', async () => {
    provider.user = { id: '1005', login: 'anonymous' };
    const browser = new Browser(server.base);
    const landing = await browser.signInWith('github', 'bind');
    expect(outcome(landing)).toEqual({ path: '/login', error: 'signed_out', result: null });
    expect(landing.hops.some((url) => url.origin === provider.base)).toBe(false);
  });

  it('binds nothing when the user signed out at the provider meanwhile', async () => {
    const { browser } = await browserOf(server);
    provider.user = { id: '1006', login: 'left-midway' };
    const callback = await browser.navigate('/api/oauth/github/start?mode=bind', (url) =>
      url.pathname.endsWith('/callback'),
    );
    await browser.api.auth.logout.mutate();
    expect(outcome(await browser.navigate(callback.url)).error).toBe('signed_out');
    expect(
      await server.db.repos.userIdentities.find({
        provider: 'github',
        issuer: provider.base,
        subject: '1006',
      }),
    ).toBeNull();
  });

  it('unbinds: the account then no longer signs in to that user', async () => {
    const { user, browser } = await browserOf(server);
    provider.user = { id: '1007', login: 'unbound-later' };
    await browser.signInWith('github', 'bind');
    expect(await browser.api.identity.unbind.mutate({ provider: 'github' })).toEqual({ ok: true });
    expect(await browser.api.identity.list.query()).toEqual([]);
    const signIn = new Browser(server.base);
    await signIn.signInWith('github');
    expect((await signIn.api.auth.me.query()).id).not.toBe(user.id);
    expect(await errorCode(browser.api.identity.unbind.mutate({ provider: 'github' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses to unbind the only way into an account without a password', async () => {
    provider.user = { id: '1008', login: 'github-only' };
    const browser = new Browser(server.base);
    await browser.signInWith('github');
    const refused = await failure(browser.api.identity.unbind.mutate({ provider: 'github' }));
    expect(refused.code).toBe('PRECONDITION_FAILED');
    expect(refused.message).toMatch(/only way to sign in/);
    expect(await browser.api.identity.list.query()).toHaveLength(1);

    // With a second method bound, the first can go.
    provider.user = { id: 'oidc-1008', login: 'github-only-oidc' };
    expect(outcome(await browser.signInWith('oidc', 'bind')).result).toBe('bound');
    await browser.api.identity.unbind.mutate({ provider: 'github' });
    expect((await browser.api.identity.list.query()).map((i) => i.provider)).toEqual(['oidc']);
  });

  it('counts a password only while password sign-in is on', async () => {
    const { browser } = await browserOf(server);
    provider.user = { id: '1009', login: 'password-off' };
    await browser.signInWith('github', 'bind');
    await root.api.option.update.mutate({ values: { PasswordLoginEnabled: 'false' } });
    expect(await errorCode(browser.api.identity.unbind.mutate({ provider: 'github' }))).toBe(
      'PRECONDITION_FAILED',
    );
    await root.api.option.update.mutate({ values: { PasswordLoginEnabled: 'true' } });
    expect(await browser.api.identity.unbind.mutate({ provider: 'github' })).toEqual({ ok: true });
  });

  it("deletes a user's bound accounts with the user", async () => {
    const { user, browser } = await browserOf(server);
    provider.user = { id: '1010', login: 'deleted-with-user' };
    await browser.signInWith('github', 'bind');
    await root.api.user.delete.mutate({ id: user.id });
    expect(await server.db.repos.userIdentities.listForUser(user.id)).toEqual([]);
    const signIn = new Browser(server.base);
    expect(outcome(await signIn.signInWith('github')).path).toBe('/');
    expect((await signIn.api.auth.me.query()).id).not.toBe(user.id);
  });
});
