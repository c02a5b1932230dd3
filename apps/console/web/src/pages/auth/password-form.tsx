import { createSignal, Show } from 'solid-js';
import { Field } from '../../components/field.tsx';
import { createAction } from '../../lib/action.ts';
import { defineMessages } from '../../lib/i18n.ts';
import { api } from '../../lib/trpc.ts';

const t = defineMessages({
  en: {
    current: 'Current password',
    next: 'New password',
    nextHint: '8 to 64 characters',
    repeat: 'Repeat the new password',
    submit: 'Change password',
    busy: 'Saving…',
    done: 'Password changed. Your other sessions have been signed out.',
    required: 'Enter your current password.',
    short: 'At least 8 characters.',
    long: 'At most 64 characters.',
    same: 'Choose a password different from the current one.',
    weak: 'This is the default password; choose another.',
    mismatch: 'The two new passwords differ.',
  },
  zh: {
    current: '当前密码',
    next: '新密码',
    nextHint: '8 到 64 个字符',
    repeat: '再次输入新密码',
    submit: '修改密码',
    busy: '保存中…',
    done: '密码已修改，其他设备上的登录已退出。',
    required: '请输入当前密码。',
    short: '至少 8 个字符。',
    long: '最多 64 个字符。',
    same: '新密码不能与当前密码相同。',
    weak: '这是默认密码，请换一个。',
    mismatch: '两次输入的新密码不一致。',
  },
});

type Problems = Partial<Record<'oldPassword' | 'newPassword' | 'confirm', string>>;

/** Current + new password twice, checked before sending; `onChanged` runs after success. */
export function PasswordForm(props: { onChanged?: () => unknown }) {
  const [oldPassword, setOldPassword] = createSignal('');
  const [newPassword, setNewPassword] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const [problems, setProblems] = createSignal<Problems>({});
  const [done, setDone] = createSignal(false);
  const action = createAction();

  function validate(): Problems {
    const found: Problems = {};
    if (!oldPassword()) found.oldPassword = t().required;
    if (newPassword().length < 8) found.newPassword = t().short;
    else if (newPassword().length > 64) found.newPassword = t().long;
    else if (newPassword() === oldPassword()) found.newPassword = t().same;
    else if (newPassword() === '123456') found.newPassword = t().weak;
    if (confirm() !== newPassword()) found.confirm = t().mismatch;
    return found;
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setDone(false);
    const found = validate();
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const result = await action.run(() =>
      api.auth.changePassword.mutate({ oldPassword: oldPassword(), newPassword: newPassword() }),
    );
    if (!result) return;
    const form = event.target as HTMLFormElement;
    form.reset();
    setOldPassword('');
    setNewPassword('');
    setConfirm('');
    setDone(true);
    await props.onChanged?.();
  }

  return (
    <form onSubmit={submit} novalidate data-testid="password-form">
      <Field label={t().current} error={problems().oldPassword}>
        <input
          name="oldPassword"
          type="password"
          autocomplete="current-password"
          aria-invalid={Boolean(problems().oldPassword)}
          onInput={(e) => setOldPassword(e.currentTarget.value)}
        />
      </Field>
      <Field label={t().next} hint={t().nextHint} error={problems().newPassword}>
        <input
          name="newPassword"
          type="password"
          autocomplete="new-password"
          aria-invalid={Boolean(problems().newPassword)}
          onInput={(e) => setNewPassword(e.currentTarget.value)}
        />
      </Field>
      <Field label={t().repeat} error={problems().confirm}>
        <input
          name="confirmPassword"
          type="password"
          autocomplete="new-password"
          aria-invalid={Boolean(problems().confirm)}
          onInput={(e) => setConfirm(e.currentTarget.value)}
        />
      </Field>
      <Show when={action.error()}>
        <p class="error" role="alert">
          {action.error()}
        </p>
      </Show>
      <Show when={done()}>
        <p class="success" role="status" data-testid="password-changed">
          {t().done}
        </p>
      </Show>
      <button type="submit" data-testid="password-submit" disabled={action.busy()}>
        {action.busy() ? t().busy : t().submit}
      </button>
    </form>
  );
}
