import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheBackends, databaseBackends } from '@chat-api/db/testing';
import { errorCode, signedInUser, type TestConsole } from './helpers.js';
import { FakeProvider } from './oauth-fake-provider.js';
import { Browser, outcome, startOAuthConsoles } from './oauth-helpers.js';

const toCallback = (url: URL) => url.pathname.endsWith('/callback');

async function enableBoth(server: TestConsole, provider: FakeProvider) {
  const root = await signedInUser(server, { role: 100 });
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
}

describe.each(databaseBackends())('third-party sign-in on $name', ({ name, skip }) => {
  let provider: FakeProvider;
  let server: TestConsole;

  beforeAll(async () => {
    if (skip) return;
    provider = await new FakeProvider().start();
    [server] = (await startOAuthConsoles(provider, { backend: name })) as [TestConsole];
    await enableBoth(server, provider);
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it.skipIf(skip)('makes one user for an account signing in twice at once', async () => {
    provider.user = { id: 'twice-at-once', login: 'twice' };
    const browsers = [new Browser(server.base), new Browser(server.base)];
    const callbacks = await Promise.all(
      browsers.map((browser) => browser.navigate('/api/oauth/oidc/start', toCallback)),
    );
    const landings = await Promise.all(
      browsers.map((browser, i) => browser.navigate(callbacks[i]!.url)),
    );
    expect(landings.map((landing) => outcome(landing).path)).toEqual(['/', '/']);
    const [a, b] = await Promise.all(browsers.map((browser) => browser.api.auth.me.query()));
    expect(a!.id).toBe(b!.id);
    expect(
      (await server.db.repos.users.list({ page: 1, pageSize: 10, keyword: 'twice' })).total,
    ).toBe(1);
  });

  it.skipIf(skip)('keeps a GitHub and an OIDC account apart even with the same id', async () => {
    provider.user = { id: '31337', login: 'same-id' };
    const viaGitHub = new Browser(server.base);
    await viaGitHub.signInWith('github');
    const viaOidc = new Browser(server.base);
    await viaOidc.signInWith('oidc');
    const [github, oidc] = await Promise.all([
      viaGitHub.api.auth.me.query(),
      viaOidc.api.auth.me.query(),
    ]);
    expect(github.id).not.toBe(oidc.id);
  });
});

describe.each(cacheBackends())('several console nodes, $name cache', ({ name, skip }) => {
  let provider: FakeProvider;
  let nodes: TestConsole[] = [];

  beforeAll(async () => {
    if (skip) return;
    provider = await new FakeProvider().start();
    nodes = await startOAuthConsoles(provider, {
      nodes: 2,
      redisUrl: name === 'redis' ? process.env.TEST_REDIS_URL : undefined,
    });
    await enableBoth(nodes[0]!, provider);
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    await provider?.close();
  });

  it.skipIf(skip)('finishes on one node a sign-in begun on another, once', async () => {
    const [a, b] = nodes as [TestConsole, TestConsole];
    provider.user = { id: '4242', login: 'roaming' };
    const browser = new Browser(a.base);
    const callback = await browser.navigate('/api/oauth/github/start', toCallback);
    const copy = new Browser(a.base);
    for (const [cookie, value] of browser.jar) copy.jar.set(cookie, value);
    // The load balancer sends the provider's redirect to the other node (same browser, cookies).
    const atB = new Browser(b.base);
    for (const [cookie, value] of browser.jar) atB.jar.set(cookie, value);
    const onB = new URL(callback.url.pathname + callback.url.search, b.base);
    expect(outcome(await atB.navigate(onB))).toEqual({ path: '/', error: null, result: null });
    expect((await atB.api.auth.me.query()).username).toBe('roaming');

    // The same callback again, cookie and all, at the first node: with Redis the state is known
    // to be spent everywhere; without it, the provider refuses the used code.
    const replay = outcome(await copy.navigate(callback.url));
    expect(replay.error).toBe(name === 'redis' ? 'state' : 'provider');
    expect(await errorCode(copy.api.auth.me.query())).toBe('UNAUTHORIZED');
  });
});
