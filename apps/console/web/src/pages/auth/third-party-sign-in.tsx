import { createResource, For, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { api } from '../../lib/trpc.ts';
import { oauthError, oauthStartUrl, oauthText } from './oauth-messages.ts';
import './third-party-sign-in.css';

/**
 * "Sign in with GitHub" / "Sign in with <OidcDisplayName>" for the methods root turned on, and
 * what went wrong on the last round trip. Shows nothing while none is on.
 */
export function ThirdPartySignIn() {
  const [params] = useSearchParams();
  // A failed load leaves the password form alone: the buttons just do not show.
  const [providers] = createResource(() => api.identity.providers.query().catch(() => []));
  const error = () => oauthError(params.oauth_error);

  return (
    <>
      <Show when={error()}>
        <p class="error-box oauth-error" role="alert" data-testid="oauth-error">
          {error()}
        </p>
      </Show>
      <Show when={(providers() ?? []).length > 0}>
        <div class="third-party" data-testid="third-party-sign-in">
          <For each={providers()}>
            {(method) => (
              // rel=external: a full page load to the server, not a route of the console.
              <a
                class="provider-button"
                rel="external"
                href={oauthStartUrl(method.provider, 'login')}
                data-testid={`sign-in-${method.provider}`}
              >
                {oauthText().signInWith(method.displayName)}
              </a>
            )}
          </For>
        </div>
      </Show>
    </>
  );
}
