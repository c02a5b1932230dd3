import type { ProviderAccount } from '@chat-api/db';
import { hasControlCharacters } from '../routers/plain-text.js';
import { ProviderError } from './provider-error.js';

/** Who the provider says signed in, with their name for a new user's display name. */
export type SignedInAccount = ProviderAccount & { name: string };

// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * The provider's word, checked at the boundary like any client's: the key (issuer, subject) must
 * fit its column and hold no control character (a NUL would break the SQL), and the shown texts
 * lose theirs.
 */
export function checkedAccount(account: SignedInAccount): SignedInAccount {
  for (const [field, value] of [
    ['issuer', account.issuer],
    ['subject', account.subject],
  ] as const) {
    if (value === '' || value.length > 255 || hasControlCharacters(value)) {
      throw new ProviderError(`${account.provider}: unusable ${field} ${JSON.stringify(value)}`);
    }
  }
  return {
    ...account,
    login: account.login.replace(CONTROL, ''),
    email: account.email.replace(CONTROL, ''),
    name: account.name.replace(CONTROL, ''),
  };
}
