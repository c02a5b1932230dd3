import { createEffect, Match, Switch, type ParentProps } from 'solid-js';
import { useLocation, useNavigate } from '@solidjs/router';
import { errorMessage } from '../lib/trpc.ts';
import { me, refreshMe } from '../lib/session.ts';

/** Pages behind it need a session; while root has the default password, only the change form. */
export function RequireSignIn(props: ParentProps) {
  const navigate = useNavigate();
  const location = useLocation();
  createEffect(() => {
    if (me.loading || me.error) return;
    const user = me();
    if (user === null) navigate('/login', { replace: true });
    else if (user?.mustChangePassword && location.pathname !== '/change-password') {
      navigate('/change-password', { replace: true });
    }
  });
  return (
    <Switch>
      <Match when={me.error}>
        <main class="card">
          <p class="error" role="alert">
            {errorMessage(me.error)}
          </p>
          <button onClick={() => void refreshMe()}>Retry</button>
        </main>
      </Match>
      <Match when={me.loading}>
        <p class="loading">Loading…</p>
      </Match>
      <Match when={me()}>{props.children}</Match>
    </Switch>
  );
}
