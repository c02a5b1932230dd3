import type { RelaySettings } from './settings.js';

/** Upstream answers that mean "this channel, not the request": try another channel. */
export function isRetryableStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

// Provider wordings for a dead key or an empty account (OpenAI, Azure, and compatible servers).
const CREDENTIAL_FAILURES = [
  'invalid api key',
  'incorrect api key',
  'invalid_api_key',
  'api key not valid',
  'insufficient_quota',
  'exceeded your current quota',
  'billing',
  'account_deactivated',
  'access was terminated',
  'organization has been disabled',
];

/**
 * Whether an upstream error should take the channel out of rotation (DESIGN §5): its
 * credentials were refused (401), its account is out of money, or the text holds an
 * operator's keyword.
 */
export function shouldAutoDisable(status: number, body: string, settings: RelaySettings): boolean {
  if (!settings.autoDisable) return false;
  if (status === 401) return true;
  if (status < 400) return false;
  const text = body.toLowerCase();
  return (
    CREDENTIAL_FAILURES.some((phrase) => text.includes(phrase)) ||
    settings.disableKeywords.some((keyword) => text.includes(keyword))
  );
}
