import { createSignal, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { Field } from '../../components/field.tsx';
import { createAction } from '../../lib/action.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { api } from '../../lib/trpc.ts';
import { AuthFrame } from './auth-frame.tsx';

const t = defineMessages({
  en: {
    title: 'Choose a new password',
    next: 'New password',
    nextHint: '8 to 64 characters',
    repeat: 'Repeat the new password',
    submit: 'Set the password',
    busy: 'Saving…',
    done: 'Your password is changed, and every session of the account was signed out.',
    noToken: 'This page needs the link from the email. Ask for a new one.',
    short: 'At least 8 characters.',
    long: 'At most 64 characters.',
    mismatch: 'The two passwords differ.',
    signIn: 'Sign in',
    again: 'Ask for a new link',
  },
  zh: {
    title: '设置新密码',
    next: '新密码',
    nextHint: '8 到 64 个字符',
    repeat: '再次输入新密码',
    submit: '设置密码',
    busy: '保存中…',
    done: '密码已修改，该账号的所有登录均已退出。',
    noToken: '请通过邮件中的链接打开本页，或重新申请链接。',
    short: '至少 8 个字符。',
    long: '最多 64 个字符。',
    mismatch: '两次输入的密码不一致。',
    signIn: '去登录',
    again: '重新申请链接',
  },
});

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = typeof params.token === 'string' ? params.token : '';
  const [password, setPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [problems, setProblems] = createSignal<{ password?: string; confirm?: string }>({});
  const [done, setDone] = createSignal(false);
  const action = createAction();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const found = {
      ...(password().length < 8 ? { password: t().short } : {}),
      ...(password().length > 64 ? { password: t().long } : {}),
      ...(confirm() !== password() ? { confirm: t().mismatch } : {}),
    };
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const result = await action.run(() =>
      api.auth.resetPassword.mutate({ token, newPassword: password() }),
    );
    if (result) setDone(true);
  }

  return (
    <AuthFrame title={t().title}>
      <Show when={token} fallback={<p class="notice">{t().noToken}</p>}>
        <Show
          when={!done()}
          fallback={
            <p class="notice" role="status" data-testid="reset-done">
              {t().done}
            </p>
          }
        >
          <form onSubmit={submit} novalidate>
            <Field label={t().next} hint={t().nextHint} error={problems().password}>
              <input
                name="password"
                type="password"
                autocomplete="new-password"
                aria-invalid={Boolean(problems().password)}
                value={password()}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </Field>
            <Field label={t().repeat} error={problems().confirm}>
              <input
                name="confirm"
                type="password"
                autocomplete="new-password"
                aria-invalid={Boolean(problems().confirm)}
                value={confirm()}
                onInput={(e) => setConfirm(e.currentTarget.value)}
              />
            </Field>
            <Show when={action.error()}>
              <p class="error" role="alert">
                {action.error()} <A href="/forgot-password">{t().again}</A>
              </p>
            </Show>
            <button type="submit" data-testid="reset-submit" disabled={action.busy()}>
              {action.busy() ? t().busy : t().submit}
            </button>
          </form>
        </Show>
      </Show>
      <p class="aside">
        <A href="/login">{t().signIn}</A>
      </p>
    </AuthFrame>
  );
}
