import { Show } from 'solid-js';
import { defineMessages } from '../../lib/i18n.ts';
import { site, webAddress } from '../../lib/site.ts';

const t = defineMessages({
  en: { title: 'About', empty: 'Nothing here yet.' },
  zh: { title: '关于', empty: '暂无内容。' },
});

/**
 * The About text root wrote in the settings, as plain text with its line breaks; a text that is
 * only a web address becomes a link to it.
 */
export function AboutPage() {
  const text = () => site().about.trim();
  return (
    <section>
      <h1>{t().title}</h1>
      <Show when={text()} fallback={<p>{t().empty}</p>}>
        <Show
          when={webAddress(text())}
          fallback={
            <p class="about-text" data-testid="about-text">
              {text()}
            </p>
          }
        >
          {(href) => (
            <p data-testid="about-text">
              <a href={href()} target="_blank" rel="noopener noreferrer">
                {href()}
              </a>
            </p>
          )}
        </Show>
      </Show>
    </section>
  );
}
