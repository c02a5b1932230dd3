import { createSignal, Show } from 'solid-js';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';

/** A button that asks before it acts (deletes), through the shared confirmation dialog. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  message: string;
  confirmLabel?: string;
  disabled?: boolean;
  disabledReason?: string;
  testId?: string;
  onConfirm: () => Promise<unknown>;
}) {
  const [open, setOpen] = createSignal(false);
  return (
    <>
      <button
        type="button"
        class="danger small"
        disabled={props.disabled}
        title={props.disabled ? props.disabledReason : undefined}
        data-testid={props.testId}
        onClick={() => setOpen(true)}
      >
        {props.label}
      </button>
      <Show when={open()}>
        <ConfirmDialog
          title={props.title}
          message={props.message}
          confirmLabel={props.confirmLabel ?? props.label}
          danger
          onConfirm={props.onConfirm}
          onClose={() => setOpen(false)}
        />
      </Show>
    </>
  );
}
