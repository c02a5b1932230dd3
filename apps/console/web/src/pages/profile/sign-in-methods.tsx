import { createResource, createSignal, For, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { AsyncView } from '../../components/async-view.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { formatTime } from '../../lib/format.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { api } from '../../lib/trpc.ts';
import { oauthError, oauthStartUrl, oauthText } from '../auth/oauth-messages.ts';
import '../auth/third-party-sign-in.css';

const t = defineMessages({
  en: {
    title: 'Sign-in methods',
    intro: 'Bind an account of these providers to sign in with it instead of your password.',
    bind: 'Bind',
    unbind: 'Unbind',
    notBound: 'Not bound',
    since: (time: string) => `bound ${time}`,
    confirmTitle: (name: string) => `Unbind ${name}?`,
    confirmMessage: 'You will no longer be able to sign in with this account.',
  },
  zh: {
    title: '登录方式',
    intro: '绑定以下身份提供方的账号后，即可用它代替密码登录。',
    bind: '绑定',
    unbind: '解绑',
    notBound: '未绑定',
    since: (time: string) => `绑定于 ${time}`,
    confirmTitle: (name: string) => `解绑 ${name}？`,
    confirmMessage: '解绑后将不能再用此账号登录。',
  },
});

type Provider = 'github' | 'oidc';
const NAMES: Record<Provider, string> = { github: 'GitHub', oidc: 'OpenID Connect' };

/** The profile's bound GitHub / OpenID Connect accounts, to bind and unbind; hidden when none is on. */
export function SignInMethods() {
  const [params] = useSearchParams();
  const [data, { refetch }] = createResource(async () => {
    const [providers, identities] = await Promise.all([
      api.identity.providers.query(),
      api.identity.list.query(),
    ]);
    // Every method that is on, and any account still bound to one root has since turned off.
    return (Object.keys(NAMES) as Provider[])
      .map((provider) => {
        const method = providers.find((entry) => entry.provider === provider);
        return {
          provider,
          name: method?.displayName ?? NAMES[provider],
          on: method !== undefined,
          identity: identities.find((identity) => identity.provider === provider),
        };
      })
      .filter((row) => row.on || row.identity);
  });
  const [unbinding, setUnbinding] = createSignal<{ provider: Provider; name: string }>();
  const error = () => oauthError(params.oauth_error);
  const bound = () => params.oauth === 'bound';
  const visible = () =>
    error() || bound() || data.error !== undefined || (data.latest ?? []).length > 0;

  return (
    <Show when={visible()}>
      <section class="card" aria-labelledby="profile-sign-in-methods">
        <h2 id="profile-sign-in-methods">{t().title}</h2>
        <p>{t().intro}</p>
        <Show when={error()}>
          <p class="error-box" role="alert" data-testid="oauth-error">
            {error()}
          </p>
        </Show>
        <Show when={bound()}>
          <p class="success" role="status" data-testid="oauth-bound">
            {oauthText().bound}
          </p>
        </Show>
        <AsyncView resource={data} retry={() => void refetch()}>
          {(rows) => (
            <ul class="sign-in-methods">
              <For each={rows}>
                {(row) => (
                  <li data-testid={`sign-in-method-${row.provider}`}>
                    <span class="who">
                      <strong>{row.name}</strong>
                      <Show when={row.identity} fallback={<small>{t().notBound}</small>}>
                        {(identity) => (
                          <small>
                            {[identity().login, identity().email].filter(Boolean).join(' · ')} ·{' '}
                            {t().since(formatTime(identity().createdTime))}
                          </small>
                        )}
                      </Show>
                    </span>
                    <Show
                      when={row.identity}
                      fallback={
                        <a
                          class="provider-button"
                          rel="external"
                          href={oauthStartUrl(row.provider, 'bind')}
                          data-testid={`bind-${row.provider}`}
                        >
                          {t().bind}
                        </a>
                      }
                    >
                      <button
                        type="button"
                        class="danger small"
                        data-testid={`unbind-${row.provider}`}
                        onClick={() => setUnbinding({ provider: row.provider, name: row.name })}
                      >
                        {t().unbind}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          )}
        </AsyncView>
        <Show when={unbinding()}>
          {(target) => (
            <ConfirmDialog
              title={t().confirmTitle(target().name)}
              message={t().confirmMessage}
              confirmLabel={t().unbind}
              danger
              onConfirm={async () => {
                await api.identity.unbind.mutate({ provider: target().provider });
                await refetch();
              }}
              onClose={() => setUnbinding(undefined)}
            />
          )}
        </Show>
      </section>
    </Show>
  );
}
