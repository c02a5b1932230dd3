import { Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { createAction } from '../../lib/action.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { currentUser, refreshMe, setMe } from '../../lib/session.ts';
import { api } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';
import { PasswordForm } from './password-form.tsx';

const t = defineMessages({
  en: {
    title: 'Change password',
    forced: 'This account still has the default password. Choose a new one to continue.',
    signOut: 'Sign out',
  },
  zh: {
    title: '修改密码',
    forced: '该账号仍在使用默认密码，请先设置新密码再继续。',
    signOut: '退出登录',
  },
});

/** The page root is sent to while it still has the default password. */
export function ChangePasswordPage() {
  const navigate = useNavigate();
  const signOut = createAction();

  async function changed() {
    await refreshMe();
    navigate('/', { replace: true });
  }

  async function logout() {
    if (!(await signOut.run(() => api.auth.logout.mutate()))) return;
    setMe(null);
    navigate('/login', { replace: true });
  }

  return (
    <AuthFrame title={t().title}>
      <Show when={currentUser()?.mustChangePassword}>
        <p class="notice" data-testid="must-change-password">
          {t().forced}
        </p>
      </Show>
      <PasswordForm onChanged={changed} />
      <Show when={signOut.error()}>
        <p class="error" role="alert">
          {signOut.error()}
        </p>
      </Show>
      <p class="aside">
        <button type="button" class="link" onClick={() => void logout()}>
          {t().signOut}
        </button>
      </p>
    </AuthFrame>
  );
}
