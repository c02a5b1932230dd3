import { createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Field } from '../../components/field.tsx';
import { TurnstileWidget, turnstileOn } from '../../components/turnstile.tsx';
import { createAction } from '../../lib/action.ts';
import { common, defineMessages } from '../../lib/i18n.ts';
import { setMe } from '../../lib/session.ts';
import { canRegister, reloadSiteStatus, site, siteStatus } from '../../lib/site.ts';
import { api, errorMessage } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';
import { ThirdPartySignIn } from './third-party-sign-in.tsx';

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
    email: 'Email',
    code: 'Code from the email',
    sendCode: 'Send code',
    sending: 'Sending…',
    resendIn: (seconds: number) => `Resend in ${seconds} s`,
    codeSent: (minutes: number) => `Code sent; it works for ${minutes} minutes.`,
    badEmail: 'Enter an email address.',
    codeRequired: 'Enter the code we emailed you.',
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
    email: '邮箱',
    code: '邮件中的验证码',
    sendCode: '发送验证码',
    sending: '发送中…',
    resendIn: (seconds: number) => `${seconds} 秒后重发`,
    codeSent: (minutes: number) => `验证码已发送，${minutes} 分钟内有效。`,
    badEmail: '请输入邮箱地址。',
    codeRequired: '请输入邮件中的验证码。',
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
  Record<'username' | 'displayName' | 'password' | 'confirm' | 'affCode' | 'email' | 'code', string>
>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function RegisterPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = createSignal({
    username: '',
    displayName: '',
    password: '',
    confirm: '',
    affCode: typeof params.aff === 'string' ? params.aff : '',
    email: '',
    code: '',
  });
  const [turnstileToken, setTurnstileToken] = createSignal('');
  let turnstile: { reset(): void } | undefined;
  const sendAction = createAction();
  const [codeNote, setCodeNote] = createSignal('');
  const [cooldown, setCooldown] = createSignal(0);
  const ticker = setInterval(() => setCooldown((left) => Math.max(0, left - 1)), 1000);
  onCleanup(() => clearInterval(ticker));
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
    if (site().emailVerificationEnabled) {
      if (!EMAIL.test(f.email.trim())) found.email = t().badEmail;
      if (!/^\d{6}$/.test(f.code.trim())) found.code = t().codeRequired;
    }
    return found;
  }

  /** A token was spent (or refused): the next request needs a fresh one. */
  const spendToken = () => {
    const token = turnstileToken();
    turnstile?.reset();
    return token ? { turnstileToken: token } : {};
  };

  async function sendCode() {
    const email = form().email.trim();
    if (!EMAIL.test(email)) {
      setProblems({ ...problems(), email: t().badEmail });
      return;
    }
    setProblems({ ...problems(), email: undefined });
    const sent = await sendAction.run(() =>
      api.auth.sendVerificationCode.mutate({ email, ...spendToken() }),
    );
    if (!sent) return;
    setCodeNote(t().codeSent(sent.expiresInMinutes));
    setCooldown(60);
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
        ...(site().emailVerificationEnabled
          ? { email: f.email.trim(), verificationCode: f.code.trim() }
          : {}),
        ...spendToken(),
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
            <Show when={turnstileOn()}>
              <TurnstileWidget
                onToken={setTurnstileToken}
                bind={(controls) => (turnstile = controls)}
              />
            </Show>
            <Show when={site().emailVerificationEnabled}>
              <Field label={t().email} error={problems().email}>
                <div class="inline-row">
                  {input('email', { type: 'email', autocomplete: 'email' })}
                  <button
                    type="button"
                    class="secondary"
                    data-testid="send-code"
                    disabled={sendAction.busy() || cooldown() > 0}
                    onClick={() => void sendCode()}
                  >
                    {sendAction.busy()
                      ? t().sending
                      : cooldown() > 0
                        ? t().resendIn(cooldown())
                        : t().sendCode}
                  </button>
                </div>
              </Field>
              <Show when={sendAction.error()}>
                <p class="error" role="alert">
                  {sendAction.error()}
                </p>
              </Show>
              <Show when={codeNote()}>
                <p class="notice" role="status">
                  {codeNote()}
                </p>
              </Show>
              <Field label={t().code} error={problems().code}>
                {input('code', { autocomplete: 'one-time-code' })}
              </Field>
            </Show>
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
      <ThirdPartySignIn />
    </AuthFrame>
  );
}
