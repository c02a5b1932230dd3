import type { IdentityProvider, OptionKey } from '@chat-api/db';
import type { OidcSettings } from './oidc.js';

type Options = Record<OptionKey, string>;

export interface GitHubSettings {
  clientId: string;
  clientSecret: string;
}

/** GitHub sign-in when root turned it on and gave the app's credentials; otherwise null. */
export function githubSettings(options: Options): GitHubSettings | null {
  const clientId = options.GitHubClientId.trim();
  const clientSecret = options.GitHubClientSecret.trim();
  return options.GitHubOAuthEnabled === 'true' && clientId && clientSecret
    ? { clientId, clientSecret }
    : null;
}

/** OpenID Connect sign-in when root turned it on and configured it; otherwise null. */
export function oidcSettings(options: Options): OidcSettings | null {
  const wellKnown = options.OidcWellKnown.trim();
  const clientId = options.OidcClientId.trim();
  return options.OidcEnabled === 'true' && wellKnown && clientId
    ? { wellKnown, clientId, clientSecret: options.OidcClientSecret.trim() }
    : null;
}

/** The sign-in methods on now, with the label of each button. */
export function enabledProviders(
  options: Options,
): { provider: IdentityProvider; displayName: string }[] {
  return [
    ...(githubSettings(options) ? [{ provider: 'github' as const, displayName: 'GitHub' }] : []),
    ...(oidcSettings(options)
      ? [{ provider: 'oidc' as const, displayName: options.OidcDisplayName.trim() || 'OIDC' }]
      : []),
  ];
}
