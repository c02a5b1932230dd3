import { Show } from 'solid-js';

/** A form's error or success line above its buttons. */
export function FormMessage(props: { error?: string; success?: string }) {
  return (
    <>
      <Show when={props.error}>
        <p class="error" role="alert">
          {props.error}
        </p>
      </Show>
      <Show when={!props.error && props.success}>
        <p class="success" role="status">
          {props.success}
        </p>
      </Show>
    </>
  );
}
