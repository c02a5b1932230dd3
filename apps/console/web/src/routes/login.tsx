import { createSignal, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { setMe } from '../lib/session.ts';
import { api, errorMessage } from '../lib/trpc.ts';

export function LoginPage() {
  const navigate = useNavigate();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      const user = await api.auth.login.mutate({
        username: username().trim(),
        password: password(),
      });
      setMe(user);
      navigate(user.mustChangePassword ? '/change-password' : '/', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="card narrow">
      <h1>Chat API</h1>
      <form onSubmit={submit}>
        <label>
          Username
          <input
            name="username"
            autocomplete="username"
            required
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
