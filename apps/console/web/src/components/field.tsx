import { createEffect, createUniqueId, onMount, Show, type JSX } from 'solid-js';

/**
 * A labelled form control with an optional hint and validation message. The control (the first
 * input, select or textarea inside) is named by the label text alone and described by the hint
 * and message; it sets `aria-invalid` itself.
 */
export function Field(props: {
  label: string;
  error?: string | undefined;
  hint?: JSX.Element;
  children: JSX.Element;
}) {
  const id = createUniqueId();
  let label!: HTMLLabelElement;
  let control: Element | null = null;
  onMount(() => {
    control = label.querySelector('input, select, textarea');
    control?.setAttribute('aria-labelledby', `${id}-label`);
  });
  createEffect(() => {
    const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean);
    if (described.length > 0) control?.setAttribute('aria-describedby', described.join(' '));
    else control?.removeAttribute('aria-describedby');
  });
  return (
    <div class="field">
      <label ref={label}>
        <span class="field-label" id={`${id}-label`}>
          {props.label}
        </span>
        {props.children}
      </label>
      <Show when={props.hint}>
        <span class="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      </Show>
      <Show when={props.error}>
        <span class="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </span>
      </Show>
    </div>
  );
}
