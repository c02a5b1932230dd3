import type { RelaySettings } from './settings.js';

/** Upstream answers that mean "this channel, not the request": try another channel. */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

/** Error codes and types by which providers say the channel's key or account is dead. */
const ACCOUNT_CODES = new Set([
  'invalid_api_key',
  'insufficient_quota',
  'account_deactivated',
  'billing_not_active',
  'billing_hard_limit_reached',
  'access_terminated',
  'organization_deactivated',
]);

// Wordings of a dead account in a 403 (OpenAI, Azure and compatible servers that give no code).
const ACCOUNT_PHRASES = [
  'account_deactivated',
  'account has been deactivated',
  'access was terminated',
  'organization has been disabled',
  'api key not valid',
];

/**
 * Whether an upstream error should take the channel out of rotation (DESIGN §5): only the
 * upstream's own word that the channel's key or account is dead — a 401, a 402, a 403 or 429
 * whose error code says so (or a 403 that names the account), or an operator's keyword in an
 * error the request did not cause. A 400-class answer about the request never counts: its
 * message can echo anything the client sent (`Invalid value: 'billing'`), and a client must
 * not be able to take a channel down.
 */
export function shouldAutoDisable(status: number, body: string, settings: RelaySettings): boolean {
  if (!settings.autoDisable || status < 400) return false;
  if (status === 401 || status === 402) return true;
  if (status !== 403 && status !== 429 && status < 500) return false;
  const error = upstreamError(body);
  if (ACCOUNT_CODES.has(error.code) || ACCOUNT_CODES.has(error.type)) return true;
  const text = (error.message || body).toLowerCase();
  if (status === 403 && ACCOUNT_PHRASES.some((phrase) => text.includes(phrase))) return true;
  return settings.disableKeywords.some((keyword) => text.includes(keyword));
}

/** Why a channel was disabled, for its notification: the status and the upstream's message. */
export function disableReason(status: number, body: string): string {
  const message = upstreamError(body).message.slice(0, 500);
  return message ? `upstream answered ${status}: ${message}` : `upstream answered ${status}`;
}

/** The code, type and message of an OpenAI-shaped error body; empty strings when absent. */
function upstreamError(body: string): { code: string; type: string; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { code: '', type: '', message: '' };
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return { code: '', type: '', message: '' };
  const { code, type, message } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : '',
    type: typeof type === 'string' ? type : '',
    message: typeof message === 'string' ? message : '',
  };
}
