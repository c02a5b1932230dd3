import { A } from '@solidjs/router';
import { defineMessages } from '../../lib/i18n.ts';

const t = defineMessages({
  en: { title: 'Page not found', back: 'Back to the dashboard' },
  zh: { title: '页面不存在', back: '返回数据看板' },
});

export function NotFoundPage() {
  return (
    <section class="page" data-testid="not-found">
      <h1>{t().title}</h1>
      <p>
        <A href="/">{t().back}</A>
      </p>
    </section>
  );
}
