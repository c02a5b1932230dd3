import { createSignal, Show } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { me, setMe } from '../lib/session.ts';
import { api, errorMessage } from '../lib/trpc.ts';

const ROLE_NAMES: Record<number, string> = { 1: 'User', 10: 'Administrator', 100: 'Root' };
const QUOTA_PER_USD = 500_000;

/** The signed-in account at a glance. */
export function HomePage() {
  const navigate = useNavigate();
  const [error, setError] = createSignal('');

  async function logout() {
    try {
      await api.auth.logout.mutate();
      setMe(null);
      navigate('/login', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Show when={me()}>
      {(user) => (
        <main class="card">
          <header class="bar">
            <h1>Chat API</h1>
            <nav>
              <A href="/change-password">Change password</A>
              <button class="link" onClick={() => void logout()}>
                Sign out
              </button>
            </nav>
          </header>
          <p>
            Signed in as{' '}
            <strong data-testid="username">{user().displayName || user().username}</strong> (
            <span data-testid="role">{ROLE_NAMES[user().role] ?? `role ${user().role}`}</span>,
            group {user().group})
          </p>
          <dl class="stats">
            <div>
              <dt>Remaining quota</dt>
              <dd>
                {user().quota.toLocaleString()} (${(user().quota / QUOTA_PER_USD).toFixed(2)})
              </dd>
            </div>
            <div>
              <dt>Used quota</dt>
              <dd>
                {user().usedQuota.toLocaleString()} ($
                {(user().usedQuota / QUOTA_PER_USD).toFixed(2)})
              </dd>
            </div>
            <div>
              <dt>Requests</dt>
              <dd>{user().requestCount.toLocaleString()}</dd>
            </div>
          </dl>
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
        </main>
      )}
    </Show>
  );
}
