import { createSignal, onCleanup } from 'solid-js';
import { common } from '../lib/i18n.ts';

/** The Clipboard API needs a secure context; plain-http consoles fall back to a selection copy. */
async function writeClipboard(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused: try the selection copy below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/** Copies `text` to the clipboard and says so for a moment (or says to copy by hand). */
export function CopyButton(props: { text: string; label?: string; testId?: string }) {
  const [state, setState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  async function copy() {
    setState((await writeClipboard(props.text)) ? 'copied' : 'failed');
    clearTimeout(timer);
    timer = setTimeout(() => setState('idle'), state() === 'failed' ? 4000 : 1500);
  }
  return (
    <span class="copy">
      <button
        type="button"
        class="secondary small"
        data-testid={props.testId}
        onClick={() => void copy()}
      >
        {state() === 'copied' ? common().copied : (props.label ?? common().copy)}
      </button>
      <span class="copy-status" role="status">
        {state() === 'failed' ? common().copyFailed : ''}
      </span>
    </span>
  );
}
