import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A browser profile of its own (one person), English, in UTC, at desktop width. */
export async function newPerson(
  browser: Browser,
  errors: BrowserErrors,
  baseURL: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
    // The copy buttons write to the clipboard; the tests read it back.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  context.setDefaultTimeout(10_000);
  errors.watch(context);
  return context;
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of 4\d\d\b/;
const SIGN_IN_CALLS = new Set(['auth.me', 'auth.login']);

/**
 * Chromium logs every 4xx answer as an error. Only the sign-in calls are expected to get one
 * (auth.me while signed out, auth.login with a wrong password); any other is a finding.
 */
function isExpectedSignInAnswer(message: ConsoleMessage): boolean {
  if (!FAILED_RESOURCE.test(message.text())) return false;
  const url = new URL(message.location().url);
  if (!url.pathname.startsWith('/trpc/')) return false;
  return url.pathname
    .slice('/trpc/'.length)
    .split(',')
    .every((call) => SIGN_IN_CALLS.has(call));
}

/** Uncaught exceptions and console errors of every page of the watched contexts. */
export class BrowserErrors {
  private found: string[] = [];

  watch(context: BrowserContext): void {
    context.on('weberror', (error) => {
      this.found.push(`uncaught on ${error.page()?.url()}: ${error.error().stack}`);
    });
    context.on('console', (message) => {
      if (message.type() !== 'error' || isExpectedSignInAnswer(message)) return;
      this.found.push(`console.error on ${message.page()?.url()}: ${message.text()}`);
    });
  }

  /** What was found since the last call. */
  take(): string[] {
    return this.found.splice(0);
  }
}

/** e2e/screenshots: each run's pictures for a reviewer, replaced on the next run. */
export const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));

export function clearScreenshots(): void {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
