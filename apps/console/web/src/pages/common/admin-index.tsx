import { Show } from 'solid-js';
import { Navigate } from '@solidjs/router';
import { adminMenuPages } from './admin-menu.ts';
import { defineMessages } from '../../lib/i18n.ts';

const t = defineMessages({
  en: { empty: 'No administration pages are available yet.' },
  zh: { empty: '暂无可用的管理页面。' },
});

/** /admin opens the first administration page. */
export function AdminIndexPage() {
  return (
    <Show when={adminMenuPages[0]} fallback={<p class="empty">{t().empty}</p>}>
      {(page) => <Navigate href={`/admin/${page().path}`} />}
    </Show>
  );
}
