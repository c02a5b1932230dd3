import { createEffect, Match, Switch, type ParentProps } from 'solid-js';
import { useLocation, useNavigate } from '@solidjs/router';
import { common } from '../lib/i18n.ts';
import { currentUser, me, refreshMe } from '../lib/session.ts';
import { errorMessage } from '../lib/trpc.ts';

/**
 * Pages behind it need a session; while root has the default password, only the change form.
 * Only the first load shows "Loading…": a background refresh keeps the page on screen.
 */
export function RequireSignIn(props: ParentProps) {
  const navigate = useNavigate();
  const location = useLocation();
  createEffect(() => {
    if (me.error !== undefined || me.state === 'unresolved' || me.state === 'pending') return;
    const user = currentUser();
    if (!user) {
      const back =
        location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname)}`;
      navigate(`/login${back}`, { replace: true });
    } else if (user.mustChangePassword && location.pathname !== '/change-password') {
      navigate('/change-password', { replace: true });
    }
  });
  return (
    <Switch>
      <Match when={me.error !== undefined}>
        <main class="card narrow center-page" role="alert">
          <p class="error">{errorMessage(me.error)}</p>
          <button type="button" onClick={() => void refreshMe()}>
            {common().retry}
          </button>
        </main>
      </Match>
      <Match when={me.state === 'unresolved' || me.state === 'pending'}>
        <p class="loading" aria-live="polite">
          {common().loading}
        </p>
      </Match>
      <Match
        when={
          currentUser() &&
          (!currentUser()?.mustChangePassword || location.pathname === '/change-password')
        }
      >
        {props.children}
      </Match>
    </Switch>
  );
}
