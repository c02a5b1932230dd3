import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BrowserErrors, launchChromium, newPerson, screenshot } from './browser/chromium.js';
import { documentWidth, quotaOf, signIn } from './browser/console-ui.js';
import { browserClient } from './console-client.js';
import { freePort, launchNode, waitForHttp, type GatewayProcess } from './gateway-process.js';

const WEBHOOK_SECRET = 'whsec_browser_test_secret';
const ROOT_PASSWORD = 'root-top-up-pass';

const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 20_000, interval: 200 });

interface Session {
  id: string;
  url: string;
  success_url: string;
  cancel_url: string;
  [field: string]: unknown;
}

/** Stripe's Checkout Sessions API and its hosted page, as far as a buyer sees them. */
async function startFakeStripe() {
  const sessions: Session[] = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/checkout/sessions') {
        const form = Object.fromEntries(new URLSearchParams(body));
        const id = `cs_test_${randomBytes(16).toString('hex')}`;
        const session: Session = {
          id,
          object: 'checkout.session',
          amount_total: Number(form['line_items[0][price_data][unit_amount]']),
          currency: form['line_items[0][price_data][currency]'],
          mode: 'payment',
          payment_status: 'unpaid',
          status: 'open',
          success_url: form.success_url ?? '',
          cancel_url: form.cancel_url ?? '',
          url: `${base}/c/pay/${id}`,
        };
        sessions.push(session);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(session));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Checkout</title><h1>Pay with Stripe</h1>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    sessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Stripe's delivery of an event: `Stripe-Signature: t=<ts>,v1=<HMAC-SHA256 of "t.payload">`. */
async function deliver(consoleUrl: string, type: string, session: Record<string, unknown>) {
  const payload = JSON.stringify({
    id: `evt_${randomBytes(8).toString('hex')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object: session },
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${t}.${payload}`).digest('hex');
  const response = await fetch(`${consoleUrl}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${v1}` },
    body: payload,
  });
  return response.status;
}

describe('online top-up in Chromium on a phone', () => {
  const errors = new BrowserErrors();
  let stripe: Awaited<ReturnType<typeof startFakeStripe>>;
  let consoleNode: GatewayProcess;
  let consoleUrl: string;
  let dataDir: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stripe = await startFakeStripe();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-api-top-up-'));
    const port = await freePort();
    consoleUrl = `http://127.0.0.1:${port}`;
    consoleNode = launchNode('console', {
      SQLITE_PATH: join(dataDir, 'chat-api.db'),
      CONSOLE_PORT: `${port}`,
      STRIPE_API_BASE: stripe.base,
      GLOBAL_WEB_RATE_LIMIT: '100000',
      GLOBAL_API_RATE_LIMIT: '100000',
      TZ: 'UTC',
    });
    await waitForHttp(`${consoleUrl}/`).catch((error: Error) => {
      throw new Error(`the console did not answer (${error.message}):\n${consoleNode.output()}`);
    });

    const root = browserClient(consoleUrl);
    await root.auth.login.mutate({ username: 'root', password: '123456' });
    await root.auth.changePassword.mutate({ oldPassword: '123456', newPassword: ROOT_PASSWORD });
    await root.option.update.mutate({
      values: {
        StripeApiSecret: 'sk_test_browser',
        StripeWebhookSecret: WEBHOOK_SECRET,
        StripeMinTopUp: '2',
        TopUpBonusTiers: '{"100":10}',
      },
    });
    await root.user.create.mutate({ username: 'buyer', password: 'buyer-password-1' });

    browser = await launchChromium();
    page = await (await newPerson(browser, errors, consoleUrl)).newPage();
    await page.setViewportSize({ width: 390, height: 844 });
  });
  afterAll(async () => {
    await browser?.close();
    if (consoleNode?.child.exitCode === null) consoleNode.child.kill('SIGTERM');
    await consoleNode?.exited;
    await stripe?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(errors.take()).toEqual([]);
  });

  it('prices the units with the bonus, pays on Stripe and shows the credited quota', async () => {
    await page.goto('/login');
    await page.getByTestId('language').selectOption('en');
    await signIn(page, 'buyer', 'buyer-password-1');
    await page.getByTestId('nav-toggle').click();
    await page.getByTestId('nav-top-up').click();
    await page.waitForURL('**/top-up');

    const units = page.getByTestId('top-up-units');
    await units.fill('1');
    await page.getByTestId('top-up-pay').click();
    await page.getByText('At least 2 units.').waitFor();
    expect(stripe.sessions).toHaveLength(0);

    await units.fill('120');
    await eventually(() => page.getByTestId('top-up-price').textContent()).toBe('$120.00');
    // 120 units at 500,000 quota each, plus the 100-unit tier's 10 %.
    expect(quotaOf(await page.getByTestId('top-up-quota').textContent())).toBe(66_000_000);
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-top-up');

    await page.getByTestId('top-up-pay').click();
    await page.waitForURL(`${stripe.base}/c/pay/**`);
    const session = stripe.sessions[0]!;
    expect(session).toMatchObject({ amount_total: 12_000, currency: 'usd' });

    expect(
      await deliver(consoleUrl, 'checkout.session.completed', {
        ...session,
        status: 'complete',
        payment_status: 'paid',
      }),
    ).toBe(200);
    await page.goto(session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id));
    await page.getByTestId('top-up-paid').waitFor();
    await eventually(() => page.getByTestId('top-up-row').first().getAttribute('data-status')).toBe(
      'credited',
    );
    await eventually(async () =>
      quotaOf(await page.getByTestId('quota-remaining').textContent()),
    ).toBe(66_000_000);
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-top-up-paid');
  });

  it('says so when the buyer cancels on Stripe, in Chinese too', async () => {
    await page.getByTestId('top-up-units').fill('3');
    await page.getByTestId('top-up-pay').click();
    await page.waitForURL(`${stripe.base}/c/pay/**`);
    await page.goto(stripe.sessions[1]!.cancel_url);
    await page.getByTestId('top-up-cancelled').waitFor();
    await eventually(() => page.getByTestId('top-up-row').count()).toBe(2);
    expect(await page.getByTestId('top-up-row').first().getAttribute('data-status')).toBe(
      'pending',
    );

    await page.getByTestId('language').selectOption('zh');
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('在线充值');
    expect(await page.getByTestId('top-up-pay').textContent()).toBe('使用 Stripe 支付');
    expect(await documentWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-top-up-zh');
  });

  it("shows root the Stripe settings, secrets masked, and everyone's top-ups", async () => {
    const admin = await (await newPerson(browser, errors, consoleUrl)).newPage();
    await admin.goto('/login');
    await admin.getByTestId('language').selectOption('en');
    await signIn(admin, 'root', ROOT_PASSWORD);
    await admin.getByTestId('nav-admin-settings').click();
    await admin.getByTestId('settings-save-topUp').waitFor();
    const secret = admin.getByTestId('setting-StripeWebhookSecret');
    expect(await secret.getAttribute('type')).toBe('password');
    expect(await secret.inputValue()).toBe('********');
    expect(await admin.getByTestId('setting-TopUpBonusTiers').inputValue()).toBe('{"100":10}');

    await admin.getByTestId('setting-StripeMinTopUp').fill('3');
    await admin.getByTestId('settings-save-topUp').click();
    await admin.getByText('Top-up (Stripe) saved.').waitFor();

    await admin.goto('/top-up');
    await eventually(() => admin.getByTestId('top-up-row').count()).toBe(2);
    expect(await admin.getByTestId('top-up-table').textContent()).toContain('buyer');
    expect(await admin.getByTestId('top-up-units').inputValue()).toBe('3');
    await admin.context().close();
  });
});
