import { Show, type ParentProps } from 'solid-js';
import { defineMessages } from '../lib/i18n.ts';
import { currentUser } from '../lib/session.ts';

export const ADMIN_ROLE = 10;

const t = defineMessages({
  en: { forbidden: 'These pages are for administrators.' },
  zh: { forbidden: '此页面仅限管理员访问。' },
});

/** The administrators' pages (role ≥ 10); others see why they cannot. */
export function RequireAdmin(props: ParentProps) {
  return (
    <Show
      when={(currentUser()?.role ?? 0) >= ADMIN_ROLE}
      fallback={
        <p class="error" role="alert" data-testid="forbidden">
          {t().forbidden}
        </p>
      }
    >
      {props.children}
    </Show>
  );
}
