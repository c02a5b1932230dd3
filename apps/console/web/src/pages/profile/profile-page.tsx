import { createSignal, For, Show } from 'solid-js';
import { CopyButton } from '../../components/copy-button.tsx';
import { createAction } from '../../lib/action.ts';
import { defineMessages, locale, setLocale, type Locale } from '../../lib/i18n.ts';
import { currentUser } from '../../lib/session.ts';
import { canRegister } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';
import { PasswordForm } from '../auth/password-form.tsx';
import { SignInMethods } from './sign-in-methods.tsx';

const t = defineMessages({
  en: {
    title: 'Profile',
    account: 'Account',
    username: 'Username',
    displayName: 'Display name',
    role: 'Role',
    roles: { 1: 'User', 10: 'Administrator', 100: 'Root' } as Record<number, string>,
    group: 'Group',
    invite: 'Invitation link',
    inviteHint: 'People who sign up through this link are credited to you.',
    password: 'Password',
    accessToken: 'Access token',
    accessTokenIntro:
      'Scripts can call the console API with this token in an "Authorization: Bearer …" header.',
    replaces: 'Creating a token replaces the previous one, which stops working at once.',
    create: 'Create access token',
    busy: 'Creating…',
    shownOnce: 'Copy it now: it is shown only this once.',
    copyToken: 'Copy token',
    example: 'Example',
    language: 'Language',
  },
  zh: {
    title: '个人设置',
    account: '账号信息',
    username: '用户名',
    displayName: '显示名称',
    role: '角色',
    roles: { 1: '普通用户', 10: '管理员', 100: '超级管理员' } as Record<number, string>,
    group: '分组',
    invite: '邀请链接',
    inviteHint: '通过此链接注册的用户将记为你邀请。',
    password: '密码',
    accessToken: '访问令牌',
    accessTokenIntro: '脚本可以在 "Authorization: Bearer …" 请求头中携带此令牌调用控制台 API。',
    replaces: '生成新令牌会替换旧令牌，旧令牌立即失效。',
    create: '生成访问令牌',
    busy: '生成中…',
    shownOnce: '请立即复制：令牌只显示这一次。',
    copyToken: '复制令牌',
    example: '示例',
    language: '界面语言',
  },
});

const LANGUAGES: { value: Locale; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'zh', label: '中文' },
];

export function ProfilePage() {
  const [accessToken, setAccessToken] = createSignal('');
  const tokenAction = createAction();
  const inviteLink = () => {
    const code = currentUser()?.affCode;
    return code ? `${location.origin}/register?aff=${encodeURIComponent(code)}` : '';
  };
  const example = () =>
    `curl -H "Authorization: Bearer ${accessToken()}" ${location.origin}/trpc/auth.me`;

  async function createToken() {
    const result = await tokenAction.run(() => api.auth.createAccessToken.mutate());
    if (result) setAccessToken(result.accessToken);
  }

  return (
    <section class="page narrow-page">
      <header class="page-head">
        <h1>{t().title}</h1>
      </header>

      <section class="card" aria-labelledby="profile-account">
        <h2 id="profile-account">{t().account}</h2>
        <Show when={currentUser()}>
          {(user) => (
            <dl class="facts">
              <dt>{t().username}</dt>
              <dd data-testid="profile-username">{user().username}</dd>
              <Show when={user().displayName}>
                <dt>{t().displayName}</dt>
                <dd>{user().displayName}</dd>
              </Show>
              <dt>{t().role}</dt>
              <dd data-testid="profile-role">{t().roles[user().role] ?? user().role}</dd>
              <dt>{t().group}</dt>
              <dd>{user().group}</dd>
            </dl>
          )}
        </Show>
        <Show when={canRegister() && inviteLink()}>
          <div class="secret">
            <span class="field-label">{t().invite}</span>
            <code>{inviteLink()}</code>
            <CopyButton text={inviteLink()} testId="copy-invite" />
          </div>
          <p class="hint">{t().inviteHint}</p>
        </Show>
      </section>

      <section class="card" aria-labelledby="profile-password">
        <h2 id="profile-password">{t().password}</h2>
        <PasswordForm />
      </section>

      <SignInMethods />

      <section class="card" aria-labelledby="profile-token">
        <h2 id="profile-token">{t().accessToken}</h2>
        <p>{t().accessTokenIntro}</p>
        <p class="notice">{t().replaces}</p>
        <Show when={tokenAction.error()}>
          <p class="error" role="alert">
            {tokenAction.error()}
          </p>
        </Show>
        <button
          type="button"
          data-testid="create-access-token"
          disabled={tokenAction.busy()}
          onClick={() => void createToken()}
        >
          {tokenAction.busy() ? t().busy : t().create}
        </button>
        <Show when={accessToken()}>
          <div class="once" role="status">
            <p class="hint">{t().shownOnce}</p>
            <div class="secret">
              <code class="secret-value" data-testid="access-token">
                {accessToken()}
              </code>
              <CopyButton text={accessToken()} label={t().copyToken} testId="copy-access-token" />
            </div>
            <p class="field-label">{t().example}</p>
            <pre>
              <code>{example()}</code>
            </pre>
          </div>
        </Show>
      </section>

      <section class="card" aria-labelledby="profile-language">
        <h2 id="profile-language">{t().language}</h2>
        <div role="radiogroup" aria-labelledby="profile-language" class="choices">
          <For each={LANGUAGES}>
            {(language) => (
              <label class="check">
                <input
                  type="radio"
                  name="language"
                  value={language.value}
                  data-testid={`profile-language-${language.value}`}
                  checked={locale() === language.value}
                  onChange={() => setLocale(language.value)}
                />
                {language.label}
              </label>
            )}
          </For>
        </div>
      </section>
    </section>
  );
}
