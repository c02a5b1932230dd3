import { onCleanup, onMount, type ParentProps } from 'solid-js';
import { Portal } from 'solid-js/web';
import { common } from '../lib/i18n.ts';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A dialog over the page: Escape or the close button dismisses it (and a click beside it, unless
 * `keepOnBackdrop`); focus starts at the first field, stays inside, and returns where it was.
 */
export function Modal(
  props: ParentProps<{
    title: string;
    onClose: () => void;
    keepOnBackdrop?: boolean;
    testId?: string;
  }>,
) {
  let dialog!: HTMLDivElement;
  let body!: HTMLDivElement;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      props.onClose();
    } else if (event.key === 'Tab') {
      const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };
  onMount(() => {
    document.addEventListener('keydown', onKey);
    const first =
      body.querySelector<HTMLElement>('input, select, textarea, button') ??
      dialog.querySelector<HTMLElement>('button');
    first?.focus();
  });
  onCleanup(() => {
    document.removeEventListener('keydown', onKey);
    // Unless a dialog opened in its place already holds the focus.
    const active = document.activeElement;
    const taken =
      active instanceof HTMLElement && active.closest('.modal') && !dialog.contains(active);
    if (!taken && opener?.isConnected) opener.focus();
  });
  return (
    <Portal>
      <div
        class="modal-backdrop"
        onClick={(e) => !props.keepOnBackdrop && e.target === e.currentTarget && props.onClose()}
      >
        <div
          class="modal"
          role="dialog"
          aria-modal="true"
          aria-label={props.title}
          data-testid={props.testId}
          ref={dialog}
        >
          <header class="modal-head">
            <h2>{props.title}</h2>
            <button type="button" class="icon" aria-label={common().close} onClick={props.onClose}>
              ✕
            </button>
          </header>
          <div class="modal-body" ref={body}>
            {props.children}
          </div>
        </div>
      </div>
    </Portal>
  );
}
