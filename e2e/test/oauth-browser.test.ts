import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider } from '../../apps/console/test/oauth-fake-provider.js';
import {
  BrowserErrors,
  launchChromium,
  newPerson,
  screenshot,
  SCREENSHOTS,
} from './browser/chromium.js';
import { documentWidth, signIn } from './browser/console-ui.js';
import { browserClient } from './console-client.js';
import { freePort, launchNode, waitForHttp, type GatewayProcess } from './gateway-process.js';

/**
 * Signing in with GitHub and an OpenID Connect provider, binding and unbinding them on the
 * profile, and what the pages say when it fails — in Chromium at phone width, against a console
 * process whose GitHub (GITHUB_BASE_URL, GITHUB_API_URL) and OIDC provider are a fake on loopback.
 */
describe('third-party sign-in in Chromium', () => {
  const errors = new BrowserErrors();
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-oauth-'));
  let provider: FakeProvider;
  let consoleNode: GatewayProcess;
  let consoleUrl: string;
  let root: ReturnType<typeof browserClient>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  /** A new person (their own cookies) on a phone. */
  async function phone(): Promise<Page> {
    const context = await newPerson(browser, errors, consoleUrl);
    contexts.push(context);
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    return page;
  }

  beforeAll(async () => {
    provider = await new FakeProvider().start();
    const port = await freePort();
    consoleUrl = `http://127.0.0.1:${port}`;
    consoleNode = launchNode('console', {
      SQLITE_PATH: join(dataDir, 'chat-api.db'),
      CONSOLE_PORT: `${port}`,
      GITHUB_BASE_URL: provider.base,
      GITHUB_API_URL: `${provider.base}/api/v3`,
      GLOBAL_WEB_RATE_LIMIT: '100000',
      GLOBAL_API_RATE_LIMIT: '100000',
    });
    await waitForHttp(`${consoleUrl}/`);
    root = browserClient(consoleUrl);
    await root.auth.login.mutate({ username: 'root', password: '123456' });
    await root.auth.changePassword.mutate({ oldPassword: '123456', newPassword: 'root-oauth-1' });
    await root.option.update.mutate({
      values: {
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
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    consoleNode?.child.kill('SIGTERM');
    await consoleNode?.exited;
    await provider?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(errors.take()).toEqual([]);
  });

  it('signs a newcomer in with GitHub from the sign-in page', async () => {
    provider.user = { id: '60001', login: 'mona', name: 'Mona Lisa' };
    const page = await phone();
    await page.goto('/login');
    await page.getByTestId('sign-in-oidc').waitFor();
    expect(await page.getByTestId('sign-in-oidc').textContent()).toBe('Sign in with Example ID');
    await screenshot(page, 'phone-login-third-party');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await page.getByText('Sign in with GitHub').click();
    // Signed in: the header names the new account (by its display name, from GitHub).
    await expect.poll(() => page.getByTestId('username').textContent()).toBe('Mona Lisa');
    expect(new URL(page.url()).pathname).toBe('/');

    // Profile: GitHub bound, the OpenID Connect provider ready to bind.
    await page.goto('/profile');
    const github = page.getByTestId('sign-in-method-github');
    await expect.poll(() => github.textContent()).toContain('mona');
    expect(await page.getByTestId('bind-oidc').textContent()).toBe('Bind');
    await screenshot(page, 'phone-profile-sign-in-methods');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);

    // Bind the other one, then unbind GitHub.
    provider.user = { id: 'mona-at-example', login: 'mona.l', email: 'mona@example.com' };
    await page.getByTestId('bind-oidc').click();
    await page.getByTestId('oauth-bound').waitFor();
    expect(new URL(page.url()).search).toBe('?oauth=bound');
    await expect
      .poll(() => page.getByTestId('sign-in-method-oidc').textContent())
      .toContain('mona.l');
    await page.getByTestId('unbind-github').click();
    await page.getByTestId('confirm').click();
    await page.getByTestId('bind-github').waitFor();
    expect(await github.textContent()).toContain('Not bound');
  });

  it('says on the profile when an account is bound to someone else', async () => {
    provider.user = { id: '60002', login: 'first-owner' };
    const owner = await phone();
    await owner.goto('/login');
    await owner.getByTestId('sign-in-github').click();
    await expect.poll(() => owner.getByTestId('username').textContent()).toBe('first-owner');

    const other = await phone();
    await other.goto('/login');
    await signIn(other, 'root', 'root-oauth-1');
    await other.getByTestId('username').waitFor({ state: 'attached' });
    await other.goto('/profile');
    await other.getByTestId('bind-github').click();
    await other.getByTestId('oauth-error').waitFor();
    expect(await other.getByTestId('oauth-error').textContent()).toBe(
      'That account is already bound to another user.',
    );
    expect(new URL(other.url()).pathname).toBe('/profile');
  });

  it('says on the sign-in page that registration is closed, in Chinese too', async () => {
    await root.option.update.mutate({ values: { RegisterEnabled: 'false' } });
    provider.user = { id: 'stranger', login: 'stranger' };
    const page = await phone();
    await page.goto('/login');
    await page.getByTestId('sign-in-oidc').click();
    await page.getByTestId('oauth-error').waitFor();
    expect(await page.getByTestId('oauth-error').textContent()).toMatch(/registration is closed/);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'phone-login-third-party-error');
    await page.getByTestId('language').selectOption('zh');
    await expect.poll(() => page.getByTestId('oauth-error').textContent()).toMatch(/注册已关闭/);
    expect(await page.getByTestId('sign-in-oidc').textContent()).toBe('使用 Example ID 登录');
    await root.option.update.mutate({ values: { RegisterEnabled: 'true' } });
  });

  it('shows root the callback URLs to register, with the secrets masked', async () => {
    const page = await phone();
    await page.goto('/login');
    await signIn(page, 'root', 'root-oauth-1');
    await page.getByTestId('username').waitFor({ state: 'attached' });
    await page.goto('/admin/settings');
    await page.getByTestId('settings-save-thirdParty').waitFor();
    expect(await page.getByTestId('callback-url-github').textContent()).toBe(
      `${consoleUrl}/api/oauth/github/callback`,
    );
    expect(await page.getByTestId('callback-url-oidc').textContent()).toBe(
      `${consoleUrl}/api/oauth/oidc/callback`,
    );
    expect(await page.getByTestId('setting-GitHubClientSecret').inputValue()).toBe('********');
    expect(await page.getByTestId('setting-OidcWellKnown').inputValue()).toBe(provider.wellKnown);
    // The section alone: the whole settings page is several screens long.
    await page
      .locator('section[aria-labelledby="settings-thirdParty"]')
      .screenshot({ path: join(SCREENSHOTS, 'phone-admin-settings-third-party.png') });
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
  });
});
