import { Show } from 'solid-js';
import { createAction } from '../lib/action.ts';
import { common } from '../lib/i18n.ts';
import { Modal } from './modal.tsx';

/**
 * Asks before a destructive step; runs it with a busy state, closes when it succeeds and keeps
 * the readable error when it fails.
 */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const action = createAction();
  async function confirm() {
    let ok = false;
    await action.run(async () => {
      await props.onConfirm();
      ok = true;
    });
    if (ok) props.onClose();
  }
  return (
    <Modal title={props.title} onClose={props.onClose} testId="confirm-dialog">
      <p>{props.message}</p>
      <Show when={action.error()}>
        <p class="error" role="alert">
          {action.error()}
        </p>
      </Show>
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onClose}>
          {common().cancel}
        </button>
        <button
          type="button"
          class={props.danger ? 'danger' : ''}
          data-testid="confirm"
          disabled={action.busy()}
          onClick={() => void confirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
