import { createEffect, createSignal, Show } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Field } from '../../components/field.tsx';
import { TurnstileWidget, turnstileOn } from '../../components/turnstile.tsx';
import { createAction } from '../../lib/action.ts';
import { common, defineMessages } from '../../lib/i18n.ts';
import { currentUser, me, refreshMe, setMe } from '../../lib/session.ts';
import { canRegister, reloadSiteStatus, site, siteStatus } from '../../lib/site.ts';
import { api, errorMessage } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';
import { ThirdPartySignIn } from './third-party-sign-in.tsx';

const t = defineMessages({
  en: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    noAccount: 'No account yet?',
    register: 'Create one',
    forgot: 'Forgot your password?',
    passwordLoginOff: 'Password sign-in is turned off; only the root account can sign in.',
    statusFailed: 'Cannot load the site settings:',
  },
  zh: {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    busy: '登录中…',
    noAccount: '还没有账号？',
    register: '立即注册',
    forgot: '忘记密码？',
    passwordLoginOff: '密码登录已关闭，仅 root 账号可以登录。',
    statusFailed: '无法加载站点设置：',
  },
});

/** Only paths of this site, so a crafted link cannot send someone elsewhere after sign-in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = createSignal(
    typeof params.username === 'string' ? params.username : '',
  );
  const [password, setPassword] = createSignal('');
  const [invalid, setInvalid] = createSignal<{ username?: string; password?: string }>({});
  const [turnstileToken, setTurnstileToken] = createSignal('');
  let turnstile: { reset(): void } | undefined;
  const action = createAction();

  // Someone already signed in has nothing to do here.
  createEffect(() => {
    const user = currentUser();
    if (user && !action.busy()) {
      navigate(user.mustChangePassword ? '/change-password' : safeNext(params.next), {
        replace: true,
      });
    }
  });

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const problems = {
      ...(username().trim() ? {} : { username: common().required }),
      ...(password() ? {} : { password: common().required }),
    };
    setInvalid(problems);
    if (Object.keys(problems).length > 0) return;
    const token = turnstileToken();
    // A token works once: the next attempt needs a new one.
    turnstile?.reset();
    const user = await action.run(() =>
      api.auth.login.mutate({
        username: username().trim(),
        password: password(),
        ...(token ? { turnstileToken: token } : {}),
      }),
    );
    if (!user) return;
    setMe(user);
    // An earlier failed load of the session would otherwise still show as an error.
    if (me.error !== undefined) void refreshMe();
  }

  return (
    <AuthFrame title={t().title}>
      <Show when={siteStatus.error !== undefined}>
        <div class="error-box" role="alert">
          <p class="error">
            {t().statusFailed} {errorMessage(siteStatus.error)}
          </p>
          <button type="button" class="secondary small" onClick={() => void reloadSiteStatus()}>
            {common().retry}
          </button>
        </div>
      </Show>
      <Show when={!site().passwordLoginEnabled}>
        <p class="notice">{t().passwordLoginOff}</p>
      </Show>
      <form onSubmit={submit} novalidate>
        <Field label={t().username} error={invalid().username}>
          <input
            name="username"
            autocomplete="username"
            required
            aria-invalid={Boolean(invalid().username)}
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </Field>
        <Field label={t().password} error={invalid().password}>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid={Boolean(invalid().password)}
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Show when={turnstileOn()}>
          <TurnstileWidget
            onToken={setTurnstileToken}
            bind={(controls) => (turnstile = controls)}
          />
        </Show>
        <Show when={action.error()}>
          <p class="error" role="alert" data-testid="login-error">
            {action.error()}
          </p>
        </Show>
        <button type="submit" data-testid="login-submit" disabled={action.busy()}>
          {action.busy() ? t().busy : t().submit}
        </button>
      </form>
      <Show when={site().passwordResetEnabled}>
        <p class="aside">
          <A href="/forgot-password" data-testid="forgot-link">
            {t().forgot}
          </A>
        </p>
      </Show>
      <Show when={canRegister()}>
        <p class="aside">
          {t().noAccount}{' '}
          <A href="/register" data-testid="register-link">
            {t().register}
          </A>
        </p>
      </Show>
      <ThirdPartySignIn />
    </AuthFrame>
  );
}
