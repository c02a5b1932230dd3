import { randomAlphanumeric } from '@chat-api/db';

/** auth.register's rule: 2–32 letters of any script, digits, _ . - */
const ALLOWED = /[^\p{L}\p{N}_.-]/gu;
const MAX = 32;

/**
 * Usernames to try for a new user of a provider account, best first: the provider's login as it
 * is (cleaned to the console's rule), then with a random suffix, as the login may be taken by
 * someone else (who is not them: an account is never matched by name).
 */
export function usernameCandidates(login: string, attempts: number): string[] {
  let base = login.replace(ALLOWED, '_').slice(0, MAX);
  if (base.replace(/_/g, '').length === 0) base = 'user';
  if (base.length < 2) base = `${base}_user`;
  const suffixed = () => `${base.slice(0, MAX - 6)}_${randomAlphanumeric(5).toLowerCase()}`;
  return [base, ...Array.from({ length: attempts - 1 }, suffixed)];
}
