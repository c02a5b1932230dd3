import { onCleanup, onMount } from 'solid-js';
import { locale } from '../lib/i18n.ts';
import { site } from '../lib/site.ts';

/** What Cloudflare's script puts on window (the parts used here). */
interface TurnstileApi {
  render(
    element: HTMLElement,
    options: {
      sitekey: string;
      language: string;
      callback: (token: string) => void;
      'expired-callback': () => void;
      'error-callback': () => void;
    },
  ): string;
  reset(widgetId: string): void;
  remove(widgetId: string): void;
}

const SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';
let loading: Promise<TurnstileApi> | undefined;

/** Cloudflare's script, loaded once per page, when a form first needs it. */
function loadTurnstile(): Promise<TurnstileApi> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = SCRIPT_URL;
    script.async = true;
    script.onload = () => {
      const api = (window as unknown as { turnstile?: TurnstileApi }).turnstile;
      if (api) resolve(api);
      else reject(new Error('Turnstile did not load'));
    };
    script.onerror = () => {
      loading = undefined;
      reject(new Error('Turnstile did not load'));
    };
    document.head.append(script);
  });
  return loading;
}

/** Whether forms must carry a Turnstile token (TurnstileCheckEnabled, with its site key). */
export function turnstileOn(): boolean {
  return site().turnstileSiteKey !== '';
}

/**
 * Cloudflare's check, rendered when the site turned it on. `onToken` gets each new token ('' when
 * it expires); a token works once, so `bind` hands the form a reset for after each submit.
 */
export function TurnstileWidget(props: {
  onToken: (token: string) => void;
  bind?: (controls: { reset(): void }) => void;
}) {
  let element!: HTMLDivElement;
  let widgetId: string | undefined;
  let api: TurnstileApi | undefined;
  onMount(() => {
    loadTurnstile()
      .then((loaded) => {
        api = loaded;
        widgetId = loaded.render(element, {
          sitekey: site().turnstileSiteKey,
          language: locale() === 'zh' ? 'zh-CN' : 'en',
          callback: (token) => props.onToken(token),
          'expired-callback': () => props.onToken(''),
          'error-callback': () => props.onToken(''),
        });
      })
      .catch(() => props.onToken(''));
    props.bind?.({
      reset: () => {
        props.onToken('');
        if (api && widgetId !== undefined) api.reset(widgetId);
      },
    });
  });
  onCleanup(() => {
    if (api && widgetId !== undefined) api.remove(widgetId);
  });
  return <div class="turnstile" ref={element} data-testid="turnstile" />;
}
