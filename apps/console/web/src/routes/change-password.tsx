import { createSignal, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { me, refreshMe } from '../lib/session.ts';
import { api, errorMessage } from '../lib/trpc.ts';

export function ChangePasswordPage() {
  const navigate = useNavigate();
  const [oldPassword, setOldPassword] = createSignal('');
  const [newPassword, setNewPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (newPassword().length < 8) return setError('The new password needs at least 8 characters.');
    if (newPassword() !== confirm()) return setError('The two new passwords differ.');
    setError('');
    setBusy(true);
    try {
      await api.auth.changePassword.mutate({
        oldPassword: oldPassword(),
        newPassword: newPassword(),
      });
      await refreshMe();
      navigate('/', { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="card narrow">
      <h1>Change password</h1>
      <Show when={me()?.mustChangePassword}>
        <p class="notice">
          This account still has the default password. Choose a new one to continue.
        </p>
      </Show>
      <form onSubmit={submit}>
        <label>
          Current password
          <input
            name="oldPassword"
            type="password"
            autocomplete="current-password"
            required
            onInput={(e) => setOldPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          New password
          <input
            name="newPassword"
            type="password"
            autocomplete="new-password"
            minLength={8}
            required
            onInput={(e) => setNewPassword(e.currentTarget.value)}
          />
        </label>
        <label>
          Repeat new password
          <input
            name="confirmPassword"
            type="password"
            autocomplete="new-password"
            required
            onInput={(e) => setConfirm(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" disabled={busy()}>
          {busy() ? 'Saving…' : 'Change password'}
        </button>
      </form>
    </main>
  );
}
