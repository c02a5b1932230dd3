import { createResource } from 'solid-js';
import { api } from './trpc.ts';

export type SiteStatus = Awaited<ReturnType<typeof api.option.status.query>>;

/** What pages assume until option.status answers (or when it cannot be reached). */
const FALLBACK: SiteStatus = {
  systemName: 'Chat API',
  notice: '',
  registerEnabled: false,
  passwordLoginEnabled: true,
  passwordRegisterEnabled: false,
  emailVerificationEnabled: false,
  passwordResetEnabled: false,
  turnstileSiteKey: '',
  quotaPerUnit: 500_000,
  displayInCurrency: true,
  topUpLink: '',
  logo: '',
  footer: '',
  about: '',
  chatLink: '',
  proxyBaseUrl: '',
  proxyPort: 3000,
};

/** The public site facts (name, notice, sign-up switches, quota unit, proxy address). */
export const [siteStatus, { refetch: reloadSiteStatus }] = createResource(() =>
  api.option.status.query(),
);

/** The site facts, or the fallback while they load or when they failed; never throws. */
export function site(): SiteStatus {
  if (siteStatus.error !== undefined) return FALLBACK;
  const ready = siteStatus.state === 'ready' || siteStatus.state === 'refreshing';
  return (ready ? siteStatus.latest : undefined) ?? FALLBACK;
}

/** Self-service sign-up is open: auth.register needs both switches. */
export function canRegister(): boolean {
  return site().registerEnabled && site().passwordRegisterEnabled;
}

/**
 * The proxy's public origin for API examples: ServerAddress when set; otherwise the console's
 * host name with the proxy's port (PROXY_PORT, 3000 by default).
 */
export function proxyOrigin(): string {
  const { proxyBaseUrl, proxyPort } = site();
  return proxyBaseUrl || `${location.protocol}//${location.hostname}:${proxyPort}`;
}

/**
 * An address from the settings as a link or image source, or undefined unless it is http(s):
 * a `javascript:` or `data:` address typed in the settings must not run in every user's page.
 */
export function webAddress(value: string): string | undefined {
  const text = value.trim();
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
