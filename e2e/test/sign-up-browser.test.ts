import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrowserErrors, launchChromium, newPerson, screenshot } from './browser/chromium.js';
import { documentWidth, signIn } from './browser/console-ui.js';
import { startMailbox, type Mailbox } from './browser/mailbox.js';
import { browserClient } from './console-client.js';
import { freePort, launchNode, waitForHttp, type GatewayProcess } from './gateway-process.js';

const SMTP_ACCOUNT = 'gateway@example.com';
const SMTP_TOKEN = 'smtp-token-sign-up';

/**
 * A visitor signs up with the code mailed to them, then forgets the password and sets a new one
 * from the mailed link — in Chromium, against a console process, at phone width.
 */
describe('sign-up with email verification and password reset in Chromium', () => {
  const errors = new BrowserErrors();
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-sign-up-'));
  let consoleNode: GatewayProcess;
  let consoleUrl: string;
  let mailbox: Mailbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mailbox = await startMailbox(SMTP_ACCOUNT, SMTP_TOKEN);
    const port = await freePort();
    consoleUrl = `http://127.0.0.1:${port}`;
    consoleNode = launchNode('console', {
      SQLITE_PATH: join(dataDir, 'chat-api.db'),
      CONSOLE_PORT: `${port}`,
      FRONTEND_BASE_URL: consoleUrl,
      GLOBAL_WEB_RATE_LIMIT: '100000',
      GLOBAL_API_RATE_LIMIT: '100000',
    });
    await waitForHttp(`${consoleUrl}/`);
    const root = browserClient(consoleUrl);
    await root.auth.login.mutate({ username: 'root', password: '123456' });
    await root.auth.changePassword.mutate({ oldPassword: '123456', newPassword: 'root-sign-up' });
    await root.option.update.mutate({
      values: {
        SystemName: 'Example AI',
        EmailVerificationEnabled: 'true',
        SMTPServer: '127.0.0.1',
        SMTPPort: String(mailbox.port),
        SMTPAccount: SMTP_ACCOUNT,
        SMTPToken: SMTP_TOKEN,
      },
    });
    browser = await launchChromium();
    const person = await newPerson(browser, errors, consoleUrl);
    page = await person.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await browser?.close();
    consoleNode?.child.kill('SIGTERM');
    await consoleNode?.exited;
    await mailbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(errors.take()).toEqual([]);
  });

  it('creates the account with the code from the email and signs the visitor in', async () => {
    await page.goto('/register');
    await page.getByLabel('Username', { exact: true }).fill('mia');
    await page.getByLabel('Password', { exact: true }).fill('mia-password-1');
    await page.getByLabel('Repeat the password').fill('mia-password-1');
    await page.getByLabel('Email', { exact: true }).fill('mia@example.com');
    await page.getByTestId('send-code').click();
    await expect.poll(() => page.getByTestId('send-code').textContent()).toMatch(/Resend in/);
    const code = await mailbox.find('mia@example.com', /\b(\d{6})\b/);
    await page.getByLabel('Code from the email').fill(code);
    await screenshot(page, 'phone-register-email-code');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('register-submit').click();
    // Signed in: the header names the new account.
    await expect.poll(() => page.getByTestId('username').textContent()).toBe('mia');
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('sets a new password from the mailed link, and signs in with it', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/login');
    await page.getByTestId('forgot-link').click();
    await page.getByLabel('Email', { exact: true }).fill('mia@example.com');
    await page.getByTestId('reset-request').click();
    await page.getByTestId('reset-sent').waitFor();
    const link = await mailbox.find('mia@example.com', /(http:\/\/\S+\/reset-password\?\S+)/);
    expect(link.startsWith(`${consoleUrl}/reset-password?token=`)).toBe(true);

    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('mia-password-2');
    await page.getByLabel('Repeat the new password').fill('mia-password-2');
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-done').waitFor();
    await screenshot(page, 'phone-reset-password-done');

    await page.goto('/login');
    await signIn(page, 'mia', 'mia-password-2');
    await expect.poll(() => page.getByTestId('username').textContent()).toBe('mia');
  });
});
