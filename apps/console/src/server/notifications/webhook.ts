import { createHmac } from 'node:crypto';
import type { WebhookSettings } from './settings.js';

/**
 * The webhook contract (README, "Notifications"): a JSON POST of
 * `{id, event, occurredAt, data}`. With a secret, `X-Chat-API-Signature` is `sha256=` and the
 * hex HMAC-SHA256, keyed with the secret, of `${X-Chat-API-Timestamp}.${raw body}`; the
 * timestamp (unix seconds) is the attempt's, so a receiver can refuse old replays, and `id`
 * stays the same across retries, so it can drop duplicates.
 */
export const WEBHOOK_HEADERS = {
  event: 'x-chat-api-event',
  delivery: 'x-chat-api-delivery',
  timestamp: 'x-chat-api-timestamp',
  signature: 'x-chat-api-signature',
} as const;

export interface WebhookBody {
  id: number;
  event: string;
  /** Unix seconds: when the change happened. */
  occurredAt: number;
  data: unknown;
}

const TIMEOUT_MS = 10_000;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** POSTs the event; rejects unless the receiver answers 2xx within the timeout. */
export async function postWebhook(
  webhook: WebhookSettings,
  payload: WebhookBody,
  nowSeconds: number,
): Promise<void> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'chat-api-notifications',
    [WEBHOOK_HEADERS.event]: payload.event,
    [WEBHOOK_HEADERS.delivery]: String(payload.id),
    [WEBHOOK_HEADERS.timestamp]: String(nowSeconds),
  };
  if (webhook.secret) {
    headers[WEBHOOK_HEADERS.signature] = webhookSignature(webhook.secret, nowSeconds, body);
  }
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      headers,
      body,
      // A redirect would resend the signed body somewhere the operator did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : error;
    throw new Error(describe(cause));
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`answered ${response.status}`);
  }
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error;
  if (!(error instanceof Error)) return String(error);
  // fetch's own message is just "fetch failed"; the reason is in its cause.
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
