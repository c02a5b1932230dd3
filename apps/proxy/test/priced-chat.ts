import type { Gateway } from './harness.js';

// gpt-4o: ratio 1.25, completion ×4. The fake answers 6 words to a 4-token prompt:
// ceil((4 + 6 × 4) × 1.25) = 35 quota a request.
export const REPLY = 'Hello from the fake upstream model';
export const COST = 35;

const BODY = JSON.stringify({
  model: 'gpt-4o',
  max_tokens: 10,
  messages: [{ role: 'user', content: 'hi' }],
});

/** What such a request holds: its body (~4 bytes a token) plus max_tokens of completion. */
export const HOLD = Math.ceil((Math.ceil(BODY.length / 4) + 10 * 4) * 1.25);

/** One small gpt-4o chat through the gateway: its status and, when refused, its error code. */
export async function chat(gateway: Gateway, key: string) {
  const response = await fetch(`${gateway.base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: BODY,
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: body.error?.code };
}
