import { Show, type ParentProps } from 'solid-js';
import { LanguageSelect } from '../../components/language-select.tsx';
import { site } from '../../lib/site.ts';

/** The signed-out pages' frame: language choice, the site's name and notice, one card. */
export function AuthFrame(props: ParentProps<{ title: string }>) {
  return (
    <div class="auth-page">
      <div class="auth-top">
        <LanguageSelect />
      </div>
      <main class="card narrow">
        <p class="site-name" data-testid="site-name">
          {site().systemName}
        </p>
        <h1>{props.title}</h1>
        <Show when={site().notice}>
          <p class="notice" data-testid="site-notice">
            {site().notice}
          </p>
        </Show>
        {props.children}
      </main>
    </div>
  );
}
