import type { OptionKey } from '@chat-api/db';

/**
 * Whether sign-up may use this address: any domain, or with EmailDomainRestrictionEnabled one
 * listed in EmailDomainWhitelist (one per line; commas accepted, as One API stores them).
 * Exact domains only: "mail.example.com" is not "example.com".
 */
export function emailDomainAllowed(options: Record<OptionKey, string>, email: string): boolean {
  if (options.EmailDomainRestrictionEnabled !== 'true') return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return options.EmailDomainWhitelist.split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .some((entry) => entry !== '' && entry === domain);
}
