import { For, Show } from 'solid-js';
import { adminWords } from './messages.ts';

/** Splits what was typed or pasted: commas, spaces and new lines separate names. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/**
 * A list of names: suggestions as checkable chips, chosen names outside them as removable
 * chips, and free entry (Enter or Add). The typed text belongs to the form (`draft`), which
 * takes it on submit too: committing on blur would move the submit button under the pointer.
 */
export function TagPicker(props: {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  draft: string;
  onDraft: (text: string) => void;
  suggestions: string[];
  placeholder?: string;
  hint?: string;
  error?: string;
  /** On the free-entry input; chips get `${testId}-option`. */
  testId: string;
  /** Extra buttons such as "select all suggested". */
  extra?: { label: string; run: () => void }[];
}) {
  const chosen = () => new Set(props.values);
  const others = () => props.values.filter((name) => !props.suggestions.includes(name));

  function toggle(name: string) {
    props.onChange(
      chosen().has(name) ? props.values.filter((v) => v !== name) : [...props.values, name],
    );
  }

  function commit() {
    const names = splitNames(props.draft).filter((name) => !chosen().has(name));
    props.onDraft('');
    if (names.length > 0) props.onChange([...props.values, ...new Set(names)]);
  }

  return (
    <fieldset class="tag-picker" aria-invalid={props.error ? true : undefined}>
      <legend>{props.label}</legend>
      <Show when={props.suggestions.length > 0 || others().length > 0}>
        <div class="chips">
          <For each={props.suggestions}>
            {(name) => (
              <button
                type="button"
                class="chip"
                classList={{ on: chosen().has(name) }}
                aria-pressed={chosen().has(name)}
                data-testid={`${props.testId}-option`}
                onClick={() => toggle(name)}
              >
                {name}
              </button>
            )}
          </For>
          <For each={others()}>
            {(name) => (
              <span class="chip on">
                {name}
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={adminWords().removeItem(name)}
                  onClick={() => toggle(name)}
                >
                  ✕
                </button>
              </span>
            )}
          </For>
        </div>
      </Show>
      <div class="tag-entry">
        <input
          value={props.draft}
          placeholder={props.placeholder}
          aria-label={props.label}
          data-testid={props.testId}
          onInput={(e) => props.onDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            }
          }}
        />
        <button type="button" class="secondary" onClick={commit}>
          {adminWords().add}
        </button>
        <For each={props.extra ?? []}>
          {(button) => (
            <button type="button" class="secondary" onClick={() => button.run()}>
              {button.label}
            </button>
          )}
        </For>
      </div>
      <Show when={props.hint}>
        <small class="hint">{props.hint}</small>
      </Show>
      <Show when={props.error}>
        <small class="field-error" role="alert">
          {props.error}
        </small>
      </Show>
    </fieldset>
  );
}

/** The chosen names plus what is still typed in the entry field. */
export function withDraft(values: string[], draft: string): string[] {
  return [...new Set([...values, ...splitNames(draft)])];
}
