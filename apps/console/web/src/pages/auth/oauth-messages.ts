import { defineMessages } from '../../lib/i18n.ts';

/** What the console says after a GitHub / OpenID Connect round trip (`oauth_error=<code>`). */
export const oauthText = defineMessages({
  en: {
    signInWith: (name: string) => `Sign in with ${name}`,
    bound: 'The account is bound: you can sign in with it from now on.',
    errors: {
      state:
        'That sign-in link has expired or was already used, or it was started in another browser. Please try again.',
      disabled: 'This sign-in method is turned off.',
      denied: 'The sign-in was cancelled at the provider.',
      provider:
        'The provider’s answer could not be verified, or the provider could not be reached. Please try again later or tell the administrator.',
      registration_closed:
        'No account is bound to this sign-in, and registration is closed. Ask the administrator for an account, then bind it on your profile page.',
      account_disabled: 'This account is disabled.',
      taken: 'That account is already bound to another user.',
      already_bound: 'You already have an account of this provider bound. Unbind it first.',
      signed_out: 'Sign in first, then bind the account from your profile page.',
    } as Record<string, string>,
    unknownError: 'The sign-in did not go through. Please try again.',
  },
  zh: {
    signInWith: (name: string) => `使用 ${name} 登录`,
    bound: '账号已绑定，今后可以用它登录。',
    errors: {
      state: '登录链接已过期或已被使用，或是在另一个浏览器中发起的。请重试。',
      disabled: '此登录方式已关闭。',
      denied: '已在身份提供方处取消登录。',
      provider: '无法验证身份提供方的应答，或无法连接到身份提供方。请稍后重试或联系管理员。',
      registration_closed:
        '此账号尚未绑定任何用户，且注册已关闭。请向管理员申请账号，登录后在个人设置中绑定。',
      account_disabled: '该账号已被禁用。',
      taken: '该第三方账号已绑定到其他用户。',
      already_bound: '你已绑定了此身份提供方的账号，请先解绑。',
      signed_out: '请先登录，再在个人设置中绑定账号。',
    } as Record<string, string>,
    unknownError: '登录未成功，请重试。',
  },
});

/** The readable message for an `oauth_error` query value, or '' when there is none. */
export function oauthError(code: unknown): string {
  if (typeof code !== 'string' || code === '') return '';
  return oauthText().errors[code] ?? oauthText().unknownError;
}

/** The start of a GitHub / OpenID Connect round trip: a full page load, not a console route. */
export const oauthStartUrl = (provider: string, mode: 'login' | 'bind') =>
  `/api/oauth/${encodeURIComponent(provider)}/start?mode=${mode}`;
