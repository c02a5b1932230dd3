import { createSignal, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { Field } from '../../components/field.tsx';
import { TurnstileWidget, turnstileOn } from '../../components/turnstile.tsx';
import { createAction } from '../../lib/action.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { site } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';

const t = defineMessages({
  en: {
    title: 'Reset your password',
    intro:
      'Enter the email address of your account; we will send it a link to choose a new password.',
    email: 'Email',
    badEmail: 'Enter an email address.',
    submit: 'Send the link',
    busy: 'Sending…',
    sent: 'If an account uses this address, a link is on its way. It works once, for 30 minutes.',
    unavailable: 'This site cannot send email. Ask an administrator to reset your password.',
    back: 'Back to sign in',
  },
  zh: {
    title: '重置密码',
    intro: '请输入账号绑定的邮箱，我们会发送一个设置新密码的链接。',
    email: '邮箱',
    badEmail: '请输入邮箱地址。',
    submit: '发送链接',
    busy: '发送中…',
    sent: '如果有账号使用此邮箱，重置链接已发出，30 分钟内有效，仅可使用一次。',
    unavailable: '本站无法发送邮件，请联系管理员重置密码。',
    back: '返回登录',
  },
});

export function ForgotPasswordPage() {
  const [email, setEmail] = createSignal('');
  const [invalid, setInvalid] = createSignal<string>();
  const [sent, setSent] = createSignal(false);
  const [turnstileToken, setTurnstileToken] = createSignal('');
  let turnstile: { reset(): void } | undefined;
  const action = createAction();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const address = email().trim();
    setInvalid(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) ? undefined : t().badEmail);
    if (invalid()) return;
    const token = turnstileToken();
    turnstile?.reset();
    const done = await action.run(() =>
      api.auth.requestPasswordReset.mutate({
        email: address,
        ...(token ? { turnstileToken: token } : {}),
      }),
    );
    if (done) setSent(true);
  }

  return (
    <AuthFrame title={t().title}>
      <Show when={site().passwordResetEnabled} fallback={<p class="notice">{t().unavailable}</p>}>
        <Show
          when={!sent()}
          fallback={
            <p class="notice" role="status" data-testid="reset-sent">
              {t().sent}
            </p>
          }
        >
          <p>{t().intro}</p>
          <form onSubmit={submit} novalidate>
            <Field label={t().email} error={invalid()}>
              <input
                name="email"
                type="email"
                autocomplete="email"
                aria-invalid={Boolean(invalid())}
                value={email()}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </Field>
            <Show when={turnstileOn()}>
              <TurnstileWidget
                onToken={setTurnstileToken}
                bind={(controls) => (turnstile = controls)}
              />
            </Show>
            <Show when={action.error()}>
              <p class="error" role="alert">
                {action.error()}
              </p>
            </Show>
            <button type="submit" data-testid="reset-request" disabled={action.busy()}>
              {action.busy() ? t().busy : t().submit}
            </button>
          </form>
        </Show>
      </Show>
      <p class="aside">
        <A href="/login">{t().back}</A>
      </p>
    </AuthFrame>
  );
}
