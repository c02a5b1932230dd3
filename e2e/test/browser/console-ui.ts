import OpenAI from 'openai';
import type { Page } from 'playwright-core';

/** A quota as the console prints it ("1,250,000 ($2.50)"), as a number. */
export function quotaOf(text: string | null): number {
  const units = (text ?? '').trim().split(' ')[0] ?? '';
  return Number(units.replace(/,/g, ''));
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

/**
 * One chat completion through the proxy with the official SDK. The proxy learns of a new
 * channel or key within a second (DESIGN §8), so a 401 or 503 is retried for a few seconds.
 */
export async function askThroughProxy(proxyPort: number, apiKey: string): Promise<string> {
  const client = new OpenAI({
    apiKey,
    baseURL: `http://127.0.0.1:${proxyPort}/v1`,
    maxRetries: 0,
    timeout: 10_000,
  });
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello.' }],
      });
      return completion.choices[0]?.message.content ?? '';
    } catch (error) {
      const notYet = error instanceof OpenAI.APIError && [401, 503].includes(error.status ?? 0);
      if (!notYet || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The document's width in CSS pixels: wider than the window when something overflows it. */
export function documentWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

export function clipboardText(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}
