import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BrowserErrors,
  clearScreenshots,
  launchChromium,
  newPerson,
  screenshot,
} from './browser/chromium.js';
import {
  askThroughProxy,
  clipboardText,
  documentWidth,
  quotaOf,
  signIn,
} from './browser/console-ui.js';
import { startMailbox } from './browser/mailbox.js';
import { startBrowserGateway, type BrowserGateway } from './browser/gateway.js';

const UPSTREAM_KEY = 'sk-upstream-browser-test';
const REPLY = 'Hello from the fake upstream.';
const ROOT_PASSWORD = 'root-browser-pass';
const ALICE_PASSWORD = 'alice-browser-pass';
const CODE_QUOTA = 250_000;

/** Waits for what the page shows to satisfy the assertion that follows (10 s at most). */
const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 10_000, interval: 100 });

/** The main pages, each with what shows once its data is there. */
const MAIN_PAGES = [
  { name: 'dashboard', path: '/', ready: 'chart-requests' },
  { name: 'keys', path: '/keys', ready: 'key-table' },
  { name: 'logs', path: '/logs', ready: 'log-table' },
  { name: 'redeem', path: '/redeem', ready: 'redeem-submit' },
  { name: 'profile', path: '/profile', ready: 'create-access-token' },
  { name: 'admin-channels', path: '/admin/channels', ready: 'channel-table' },
  { name: 'admin-users', path: '/admin/users', ready: 'user-table' },
  { name: 'admin-redemptions', path: '/admin/redemptions', ready: 'redemption-table' },
  { name: 'admin-logs', path: '/admin/logs', ready: 'log-table' },
  { name: 'admin-settings', path: '/admin/settings', ready: 'settings-save-site' },
];

describe('the console in Chromium', () => {
  const errors = new BrowserErrors();
  let gateway: BrowserGateway;
  let browser: Browser;
  /** Root's tab, used by the steps in order, as one person would. */
  let root: Page;

  beforeAll(async () => {
    clearScreenshots();
    gateway = await startBrowserGateway({ upstreamKey: UPSTREAM_KEY, reply: REPLY });
    browser = await launchChromium();
    root = await (await newPerson(browser, errors, gateway.consoleUrl)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });
  // The steps build on each other: after a failure the rest are skipped, and the failed one
  // reports what the proxy and the console printed.
  let failedStep = '';
  beforeEach(({ task, skip, onTestFailed }) => {
    if (failedStep) skip(`"${failedStep}" failed`);
    onTestFailed(() => {
      failedStep = task.name;
      console.error(`The gateway printed:\n${gateway.output()}`);
    });
  });
  // Any uncaught error, or a console error other than an expected sign-in answer, fails the step.
  afterEach(() => {
    expect(errors.take()).toEqual([]);
  });

  it('makes root replace the default password, then signs root in with the new one', async () => {
    await root.goto('/');
    await root.waitForURL('**/login');
    await root.getByTestId('login-submit').waitFor();
    await screenshot(root, 'desktop-login');

    await signIn(root, 'root', 'not-the-password');
    await root.getByTestId('login-error').waitFor();

    await signIn(root, 'root', '123456');
    await root.waitForURL('**/change-password');
    await root.getByTestId('must-change-password').waitFor();
    await screenshot(root, 'desktop-change-password');
    await root.getByLabel('Current password').fill('123456');
    await root.getByLabel('New password', { exact: true }).fill(ROOT_PASSWORD);
    await root.getByLabel('Repeat the new password').fill(ROOT_PASSWORD);
    await root.getByTestId('password-submit').click();
    await root.getByTestId('nav-dashboard').waitFor();
    expect(new URL(root.url()).pathname).toBe('/');

    await root.getByTestId('sign-out').click();
    await root.waitForURL('**/login');
    await signIn(root, 'root', ROOT_PASSWORD);
    // The header names root by its display name.
    await eventually(() => root.getByTestId('username').textContent()).toBe('Root User');
    expect(new URL(root.url()).pathname).toBe('/');
  });

  it('creates a channel whose test passes, and a key shown once that the OpenAI SDK can use', async () => {
    await root.getByTestId('nav-admin-channels').click();
    await root.getByTestId('new-channel').click();
    await root.getByTestId('channel-name').fill('fake upstream');
    await root.getByTestId('channel-type').selectOption('openai-compatible');
    await root.getByTestId('channel-base-url').fill(gateway.upstream.url);
    await root.getByTestId('channel-key').fill(UPSTREAM_KEY);
    await root.getByTestId('channel-models').fill('gpt-4o-mini');
    await root.getByTestId('channel-save').click();
    const channel = root.getByTestId('channel-row').filter({ hasText: 'fake upstream' });
    await channel.getByTestId('channel-test').click();
    const result = channel.getByTestId('channel-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    await screenshot(root, 'desktop-admin-channels');

    await root.getByTestId('nav-keys').click();
    await root.getByTestId('new-key').click();
    await root.getByTestId('key-form').getByLabel('Name', { exact: true }).fill('browser key');
    await root.getByTestId('key-submit').click();
    const once = root.getByTestId('key-once-dialog');
    const key = (await once.getByTestId('key-once').textContent()) ?? '';
    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    // The console told the browser where the proxy listens.
    expect(await once.getByTestId('snippet-node').textContent()).toContain(
      `baseURL: 'http://127.0.0.1:${gateway.proxyPort}/v1'`,
    );
    await once.getByTestId('copy-key').click();
    await eventually(() => clipboardText(root)).toBe(key);
    await screenshot(root, 'desktop-keys-key-once');
    await once.getByTestId('key-once-done').click();
    await once.waitFor({ state: 'detached' });
    await root.reload();
    await root.getByTestId('key-row').and(root.locator('[data-key-name="browser key"]')).waitFor();
    expect(await root.content()).not.toContain(key);

    expect(await askThroughProxy(gateway.proxyPort, key)).toBe(REPLY);
  });

  it('shows the request in the logs and on the dashboard', async () => {
    await root.getByTestId('nav-logs').click();
    await root.getByLabel('Type', { exact: true }).selectOption({ label: 'Usage' });
    // The bill is written just after the answer: apply the filters until it is there.
    await eventually(async () => {
      await root.getByTestId('log-apply').click();
      return root.getByTestId('log-row').count();
    }).toBe(1);
    const log = root.getByTestId('log-row');
    expect(await log.getByTestId('log-model').textContent()).toBe('gpt-4o-mini');
    expect(quotaOf(await log.getByTestId('log-quota').textContent())).toBeGreaterThan(0);
    await eventually(() => root.getByTestId('log-total-requests').textContent()).toBe('1');
    await screenshot(root, 'desktop-logs');

    // The export link downloads the filtered logs as CSV, with the page's session.
    const href = await root.getByTestId('log-export').getAttribute('href');
    expect(href).toMatch(/^\/api\/logs\.csv\?.*\btype=2\b/);
    const csv = await root.request.get(new URL(href!, root.url()).href);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const [header, row] = (await csv.text()).split('\r\n');
    expect(header).toContain('request_id');
    expect(row).toContain('gpt-4o-mini');

    await root.getByTestId('nav-dashboard').click();
    await eventually(async () => {
      await root.reload();
      return Number(await root.getByTestId('request-count').textContent());
    }).toBeGreaterThanOrEqual(1);
    await root.getByTestId('chart-requests').waitFor();
    expect(await root.getByTestId('usage-row').first().textContent()).toContain('gpt-4o-mini');
    expect(quotaOf(await root.getByTestId('quota-used').textContent())).toBeGreaterThan(0);
    await screenshot(root, 'desktop-dashboard');

    await root.getByTestId('nav-admin-logs').click();
    await root.getByTestId('log-row').first().waitFor();
    expect(Number(await root.getByTestId('log-stats-requests').textContent())).toBeGreaterThan(0);
    await screenshot(root, 'desktop-admin-logs');
  });

  it('adds exactly a redemption code’s quota to the user who redeems it', async () => {
    await root.getByTestId('nav-admin-users').click();
    await root.getByTestId('new-user').click();
    await root.getByTestId('user-username').fill('alice');
    await root.getByTestId('user-password').fill(ALICE_PASSWORD);
    await root.getByTestId('user-quota').fill('1000');
    await root.getByTestId('user-save').click();
    const aliceRow = root
      .getByTestId('user-row')
      .filter({ has: root.getByTestId('user-row-username').getByText('alice', { exact: true }) });
    expect(quotaOf(await aliceRow.getByTestId('user-row-quota').textContent())).toBe(1000);
    await screenshot(root, 'desktop-admin-users');

    await root.getByTestId('nav-admin-redemptions').click();
    await root.getByTestId('redemption-name').fill('browser batch');
    await root.getByTestId('redemption-quota').fill(String(CODE_QUOTA));
    await root.getByTestId('redemption-count').fill('1');
    await root.getByTestId('redemption-create').click();
    const codes = ((await root.getByTestId('redemption-codes').textContent()) ?? '').trim();
    expect(codes.split('\n')).toHaveLength(1);
    await root.keyboard.press('Escape');
    await root.getByTestId('redemption-row').filter({ hasText: 'browser batch' }).waitFor();
    await screenshot(root, 'desktop-admin-redemptions');

    const alice = await (await newPerson(browser, errors, gateway.consoleUrl)).newPage();
    await alice.goto('/redeem');
    await alice.waitForURL('**/login?next=%2Fredeem');
    await signIn(alice, 'alice', ALICE_PASSWORD);
    await alice.waitForURL('**/redeem');
    const remaining = alice.getByTestId('quota-remaining');
    expect(quotaOf(await remaining.textContent())).toBe(1000);
    await alice.getByLabel('Redemption code').fill(codes);
    await alice.getByTestId('redeem-submit').click();
    await alice.getByTestId('redeem-result').waitFor();
    await eventually(async () => quotaOf(await remaining.textContent())).toBe(1000 + CODE_QUOTA);
    await screenshot(alice, 'desktop-redeem');
    await alice.context().close();

    await root.getByTestId('nav-admin-users').click();
    expect(quotaOf(await aliceRow.getByTestId('user-row-quota').textContent())).toBe(
      1000 + CODE_QUOTA,
    );
  });

  it('shows the profile with a new access token, and the settings', async () => {
    await root.getByTestId('nav-profile').click();
    await root.getByTestId('create-access-token').click();
    expect(await root.getByTestId('access-token').textContent()).toMatch(/\S{16,}/);
    await screenshot(root, 'desktop-profile');

    await root.getByTestId('nav-admin-settings').click();
    await root.getByTestId('settings-save-site').waitFor();
    await screenshot(root, 'desktop-admin-settings');
  });

  it('shows the site settings root saves: logo, chat link, About page and footer', async () => {
    // The logo from a web server of its own, as an operator's CDN would serve it.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    );
    const images = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    const logo = `http://127.0.0.1:${(images.address() as AddressInfo).port}/logo.png`;
    try {
      const about = 'Run by the Example team.\nWrite to ops@example.com.';
      await root.getByTestId('nav-admin-settings').click();
      await root.getByTestId('setting-Logo').fill(logo);
      await root.getByTestId('setting-ChatLink').fill('https://chat.example.com/');
      await root.getByTestId('setting-About').fill(about);
      await root.getByTestId('setting-Footer').fill('© Example 2026');
      await root.getByTestId('settings-save-site').click();

      await eventually(() => root.getByTestId('site-footer').textContent()).toBe('© Example 2026');
      const image = root.getByTestId('site-logo');
      expect(await image.getAttribute('src')).toBe(logo);
      await eventually(() =>
        image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      ).toBe(1);
      expect(await root.getByTestId('nav-chat').getAttribute('href')).toBe(
        'https://chat.example.com/',
      );
      await root.getByTestId('nav-about').click();
      await eventually(() => root.getByTestId('about-text').textContent()).toBe(about);
      await screenshot(root, 'desktop-about');

      // A script address typed as the chat link never becomes a link.
      await root.getByTestId('nav-admin-settings').click();
      await root.getByTestId('setting-ChatLink').fill('javascript:alert(1)');
      await root.getByTestId('settings-save-site').click();
      await eventually(() => root.getByTestId('nav-chat').count()).toBe(0);

      // Without its logo before the image server goes: the next steps load no image.
      await root.getByTestId('setting-Logo').fill('');
      await root.getByTestId('settings-save-site').click();
      await eventually(() => root.getByTestId('site-logo').count()).toBe(0);
    } finally {
      await new Promise((resolve) => images.close(resolve));
    }
  });

  it('saves the SMTP settings with the token kept hidden, and sends a test email from the page', async () => {
    const smtp = await startMailbox('gateway@example.com', 'smtp-token-browser');
    try {
      await root.getByTestId('nav-admin-settings').click();
      await root.getByTestId('setting-SMTPServer').fill('127.0.0.1');
      await root.getByTestId('setting-SMTPPort').fill(String(smtp.port));
      await root.getByTestId('setting-SMTPAccount').fill('gateway@example.com');
      await root.getByTestId('setting-SMTPToken').fill('smtp-token-browser');
      await root.getByTestId('setting-SMTPFrom').fill('alerts@example.com');
      await root.getByTestId('settings-save-notifications').click();
      await eventually(() => root.getByRole('status').allTextContents()).toContain(
        'Notifications saved.',
      );

      // Shown again, the token is masked; the test email still signs in with the kept one.
      await root.reload();
      const token = root.getByTestId('setting-SMTPToken');
      await eventually(() => token.inputValue()).toBe('********');
      expect(await token.getAttribute('type')).toBe('password');
      await root.getByTestId('settings-test-email-to').fill('ops@example.com');
      await root.getByTestId('settings-test-email').click();
      await eventually(() => root.getByRole('status').allTextContents()).toContain(
        'Test email sent to ops@example.com.',
      );
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);
      expect(smtp.mails[0]!.subject).toMatch(/^\[Chat API\] Test email/);
      await screenshot(root, 'desktop-admin-settings-notifications');
    } finally {
      await smtp.close();
    }
  });

  it('shows the same page in Chinese after switching the language, and back', async () => {
    await root.goto('/');
    const heading = root.locator('main h1');
    await eventually(() => heading.textContent()).toBe('Dashboard');
    expect(await root.getByTestId('nav-keys').textContent()).toBe('API keys');

    await root.getByTestId('language').selectOption('zh');
    await eventually(() => heading.textContent()).toBe('数据看板');
    expect(await root.getByTestId('nav-keys').textContent()).toBe('API 密钥');
    expect(await root.getByTestId('nav-admin-channels').textContent()).toBe('渠道');
    expect(await root.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(new URL(root.url()).pathname).toBe('/');
    await root.getByTestId('chart-requests').waitFor();
    await screenshot(root, 'desktop-zh-CN-dashboard');

    await root.getByTestId('language').selectOption('en');
    await eventually(() => heading.textContent()).toBe('Dashboard');
    expect(await root.getByTestId('nav-keys').textContent()).toBe('API keys');
    expect(await root.getByTestId('nav-admin-channels').textContent()).toBe('Channels');
  });

  it('fits the main pages on a 390 px phone screen, with the menu behind its toggle', async () => {
    const phone = await root.context().newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const { name, path, ready } of MAIN_PAGES) {
      await phone.goto(path);
      await phone.getByTestId(ready).waitFor();
      const width = await documentWidth(phone);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
      await screenshot(phone, `phone-${name}`);
    }

    const keysLink = phone.getByTestId('nav-keys');
    expect(await keysLink.isVisible()).toBe(false);
    await phone.getByTestId('nav-toggle').click();
    await keysLink.click();
    await phone.waitForURL('**/keys');
    await keysLink.waitFor({ state: 'hidden' });
    await phone.close();

    const visitor = await (await newPerson(browser, errors, gateway.consoleUrl)).newPage();
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.goto('/login');
    await visitor.getByTestId('login-submit').waitFor();
    expect(await documentWidth(visitor)).toBeLessThanOrEqual(390);
    await screenshot(visitor, 'phone-login');
    await visitor.context().close();
  });
});
