import { createEffect, createSignal, For, on, Show, type ParentProps } from 'solid-js';
import { A, useLocation, useNavigate } from '@solidjs/router';
import { adminMenuPages } from '../pages/common/admin-menu.ts';
import { createAction } from '../lib/action.ts';
import { defineMessages } from '../lib/i18n.ts';
import { currentUser, setMe } from '../lib/session.ts';
import { site, webAddress } from '../lib/site.ts';
import { api } from '../lib/trpc.ts';
import { LanguageSelect } from './language-select.tsx';
import { ADMIN_ROLE } from './require-admin.tsx';

const t = defineMessages({
  en: {
    menu: 'Menu',
    navigation: 'Main navigation',
    console: 'Console',
    administration: 'Administration',
    dashboard: 'Dashboard',
    keys: 'API keys',
    logs: 'Logs',
    redeem: 'Redeem',
    topUp: 'Top up',
    profile: 'Profile',
    chat: 'Chat',
    about: 'About',
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    skip: 'Skip to content',
  },
  zh: {
    menu: '菜单',
    navigation: '主导航',
    console: '控制台',
    administration: '系统管理',
    dashboard: '数据看板',
    keys: 'API 密钥',
    logs: '使用日志',
    redeem: '兑换额度',
    topUp: '在线充值',
    profile: '个人设置',
    chat: '聊天',
    about: '关于',
    signedInAs: '当前用户',
    signOut: '退出登录',
    skip: '跳到正文',
  },
});

/** The signed-in frame: header (site name, language, sign-out), navigation, page content. */
export function Layout(props: ParentProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const [open, setOpen] = createSignal(false);
  const signOut = createAction();
  const isAdmin = () => (currentUser()?.role ?? 0) >= ADMIN_ROLE;

  // The collapsed menu closes once a page is chosen.
  createEffect(
    on(
      () => location.pathname,
      () => setOpen(false),
      { defer: true },
    ),
  );

  async function logout() {
    const done = await signOut.run(() => api.auth.logout.mutate());
    if (!done) return;
    setMe(null);
    navigate('/login', { replace: true });
  }

  // The label is read inside the link, so it follows the language even in a <For> row.
  const link = (href: string, label: () => string, testId: string, end = false) => (
    <li>
      <A href={href} end={end} data-testid={testId}>
        {label()}
      </A>
    </li>
  );

  return (
    <div class="shell">
      <a class="skip" href="#content">
        {t().skip}
      </a>
      <header class="topbar">
        <button
          type="button"
          class="nav-toggle icon"
          data-testid="nav-toggle"
          aria-label={t().menu}
          aria-expanded={open()}
          aria-controls="site-nav"
          onClick={() => setOpen(!open())}
        >
          ☰
        </button>
        <A href="/" class="brand" end>
          <Show when={webAddress(site().logo)}>
            {(src) => <img class="logo" src={src()} alt="" data-testid="site-logo" />}
          </Show>
          {site().systemName}
        </A>
        <span class="spacer" />
        <LanguageSelect />
        <button
          type="button"
          class="secondary small"
          data-testid="sign-out"
          disabled={signOut.busy()}
          onClick={() => void logout()}
        >
          {t().signOut}
        </button>
      </header>
      <Show when={signOut.error()}>
        <p class="error banner" role="alert">
          {signOut.error()}
        </p>
      </Show>
      <nav
        id="site-nav"
        class="sidenav"
        classList={{ open: open() }}
        aria-label={t().navigation}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        <p class="who">
          {t().signedInAs}{' '}
          <strong data-testid="username">
            {currentUser()?.displayName || currentUser()?.username}
          </strong>
        </p>
        <h2>{t().console}</h2>
        <ul>
          {link('/', () => t().dashboard, 'nav-dashboard', true)}
          {link('/keys', () => t().keys, 'nav-keys')}
          {link('/logs', () => t().logs, 'nav-logs')}
          {link('/redeem', () => t().redeem, 'nav-redeem')}
          {link('/top-up', () => t().topUp, 'nav-top-up')}
          {link('/profile', () => t().profile, 'nav-profile')}
          <Show when={webAddress(site().chatLink)}>
            {(href) => (
              <li>
                <a href={href()} target="_blank" rel="noopener noreferrer" data-testid="nav-chat">
                  {t().chat}
                </a>
              </li>
            )}
          </Show>
          <Show when={site().about.trim()}>{link('/about', () => t().about, 'nav-about')}</Show>
        </ul>
        <Show when={isAdmin() && adminMenuPages.length > 0}>
          <h2>{t().administration}</h2>
          <ul data-testid="nav-admin">
            <For each={adminMenuPages}>
              {(page) => link(`/admin/${page.path}`, page.title, `nav-admin-${page.path}`)}
            </For>
          </ul>
        </Show>
      </nav>
      <main id="content" class="content" tabindex="-1">
        {props.children}
        <Show when={site().footer.trim()}>
          <footer class="site-footer" data-testid="site-footer">
            {site().footer}
          </footer>
        </Show>
      </main>
    </div>
  );
}
