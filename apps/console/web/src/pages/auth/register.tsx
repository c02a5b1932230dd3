import { createSignal, Match, Show, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Field } from '../../components/field.tsx';
import { createAction } from '../../lib/action.ts';
import { common, defineMessages } from '../../lib/i18n.ts';
import { setMe } from '../../lib/session.ts';
import { canRegister, reloadSiteStatus, siteStatus } from '../../lib/site.ts';
import { api, errorMessage } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';

const t = defineMessages({
  en: {
    title: 'Create an account',
    username: 'Username',
    usernameHint: '2–32 letters, digits, _ . or -',
    displayName: 'Display name (optional)',
    password: 'Password',
    passwordHint: '8 to 64 characters',
    confirm: 'Repeat the password',
    affCode: 'Invitation code (optional)',
    submit: 'Create account',
    busy: 'Creating…',
    closed: 'Registration is closed on this site. Ask an administrator for an account.',
    haveAccount: 'Already have an account?',
    signIn: 'Sign in',
    badUsername: 'Use 2–32 letters, digits, _ . or -.',
    shortPassword: 'At least 8 characters.',
    longPassword: 'At most 64 characters.',
    mismatch: 'The two passwords differ.',
    tooLong: (max: number) => `At most ${max} characters.`,
  },
  zh: {
    title: '注册账号',
    username: '用户名',
    usernameHint: '2–32 个字母、数字、_ . 或 -',
    displayName: '显示名称（可选）',
    password: '密码',
    passwordHint: '8 到 64 个字符',
    confirm: '再次输入密码',
    affCode: '邀请码（可选）',
    submit: '注册',
    busy: '注册中…',
    closed: '本站已关闭注册，请联系管理员开通账号。',
    haveAccount: '已有账号？',
    signIn: '去登录',
    badUsername: '请使用 2–32 个字母、数字、_ . 或 -。',
    shortPassword: '至少 8 个字符。',
    longPassword: '最多 64 个字符。',
    mismatch: '两次输入的密码不一致。',
    tooLong: (max: number) => `最多 ${max} 个字符。`,
  },
});

type Problems = Partial<
  Record<'username' | 'displayName' | 'password' | 'confirm' | 'affCode', string>
>;

export function RegisterPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = createSignal({
    username: '',
    displayName: '',
    password: '',
    confirm: '',
    affCode: typeof params.aff === 'string' ? params.aff : '',
  });
  const [problems, setProblems] = createSignal<Problems>({});
  const action = createAction();
  const set = (key: keyof ReturnType<typeof form>) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form(), [key]: e.currentTarget.value });

  function validate(): Problems {
    const f = form();
    const found: Problems = {};
    if (!/^[\p{L}\p{N}_.-]{2,32}$/u.test(f.username.trim())) found.username = t().badUsername;
    if (f.displayName.length > 64) found.displayName = t().tooLong(64);
    if (f.password.length < 8) found.password = t().shortPassword;
    else if (f.password.length > 64) found.password = t().longPassword;
    if (f.confirm !== f.password) found.confirm = t().mismatch;
    if (f.affCode.trim().length > 32) found.affCode = t().tooLong(32);
    return found;
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const found = validate();
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const f = form();
    const username = f.username.trim();
    const created = await action.run(() =>
      api.auth.register.mutate({
        username,
        password: f.password,
        ...(f.displayName.trim() ? { displayName: f.displayName.trim() } : {}),
        ...(f.affCode.trim() ? { affCode: f.affCode.trim() } : {}),
      }),
    );
    if (!created) return;
    // Signed in straight away; should that fail, the sign-in page has the name filled in.
    const user = await action.run(() => api.auth.login.mutate({ username, password: f.password }));
    if (user) {
      setMe(user);
      navigate('/', { replace: true });
    } else {
      navigate(`/login?username=${encodeURIComponent(username)}`, { replace: true });
    }
  }

  const input = (key: keyof Problems, attrs: { type?: string; autocomplete?: string }) => (
    <input
      name={key}
      type={attrs.type ?? 'text'}
      autocomplete={attrs.autocomplete}
      aria-invalid={Boolean(problems()[key])}
      value={form()[key]}
      onInput={set(key)}
    />
  );

  return (
    <AuthFrame title={t().title}>
      <Switch>
        <Match when={siteStatus.state === 'unresolved' || siteStatus.state === 'pending'}>
          <p class="loading">{common().loading}</p>
        </Match>
        <Match when={siteStatus.error !== undefined}>
          <div class="error-box" role="alert">
            <p class="error">{errorMessage(siteStatus.error)}</p>
            <button type="button" class="secondary small" onClick={() => void reloadSiteStatus()}>
              {common().retry}
            </button>
          </div>
        </Match>
        <Match when={!canRegister()}>
          <p class="notice" data-testid="register-closed">
            {t().closed}
          </p>
        </Match>
        <Match when={canRegister()}>
          <form onSubmit={submit} novalidate>
            <Field label={t().username} hint={t().usernameHint} error={problems().username}>
              {input('username', { autocomplete: 'username' })}
            </Field>
            <Field label={t().displayName} error={problems().displayName}>
              {input('displayName', { autocomplete: 'nickname' })}
            </Field>
            <Field label={t().password} hint={t().passwordHint} error={problems().password}>
              {input('password', { type: 'password', autocomplete: 'new-password' })}
            </Field>
            <Field label={t().confirm} error={problems().confirm}>
              {input('confirm', { type: 'password', autocomplete: 'new-password' })}
            </Field>
            <Field label={t().affCode} error={problems().affCode}>
              {input('affCode', { autocomplete: 'off' })}
            </Field>
            <Show when={action.error()}>
              <p class="error" role="alert">
                {action.error()}
              </p>
            </Show>
            <button type="submit" data-testid="register-submit" disabled={action.busy()}>
              {action.busy() ? t().busy : t().submit}
            </button>
          </form>
        </Match>
      </Switch>
      <p class="aside">
        {t().haveAccount} <A href="/login">{t().signIn}</A>
      </p>
    </AuthFrame>
  );
}
