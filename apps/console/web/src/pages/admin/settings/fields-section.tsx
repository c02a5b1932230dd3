import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createAction } from '../../../lib/action.ts';
import { common } from '../../../lib/i18n.ts';
import { api } from '../../../lib/trpc.ts';
import { FormMessage } from '../components/form-message.tsx';
import { adminWords } from '../components/messages.ts';
import { settingsText } from './messages.ts';
import { OptionField } from './option-field.tsx';
import { fieldError, type FieldSpec, type SectionId } from './sections.ts';

/** A section's fields as their draft texts, with what is wrong with each. */
export function createFieldDraft(fields: FieldSpec[], values: Record<string, string>) {
  const [draft, setDraft] = createStore<Record<string, string>>(
    Object.fromEntries(fields.map((field) => [field.key, values[field.key] ?? ''])),
  );
  const errors = createMemo(
    () =>
      new Map(
        fields
          .map((field) => [field.key, fieldError(field, draft[field.key] ?? '')] as const)
          .filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
  );
  /** The fields that differ from the stored values, numbers trimmed. */
  const changed = (stored: Record<string, string>) =>
    Object.fromEntries(
      fields
        .map((field) => {
          const value = draft[field.key] ?? '';
          const text = field.kind === 'integer' || field.kind === 'number' ? value.trim() : value;
          return [field.key, text] as const;
        })
        .filter(([key, value]) => value !== (stored[key] ?? '')),
    );
  return { draft, setDraft, errors, changed };
}

/** The frame every section shares: heading, hint, its form, message and save button. */
export function SectionFrame(
  props: {
    id: SectionId;
    busy: boolean;
    error: string;
    success: string;
    onSubmit: () => void;
  } & { children: JSX.Element },
) {
  const t = settingsText;
  const title = () => t().sections[props.id];
  return (
    <section class="settings-section" aria-labelledby={`settings-${props.id}`}>
      <h2 id={`settings-${props.id}`} tabindex="-1">
        {title()}
      </h2>
      <p class="hint">{t().sectionHints[props.id]}</p>
      <form
        class="admin-form"
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
        <FormMessage error={props.error} success={props.success} />
        <div class="actions">
          <button type="submit" disabled={props.busy} data-testid={`settings-save-${props.id}`}>
            {props.busy ? common().saving : t().saveSection(title())}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * A section's save: shows the errors once tried, refuses while anything is invalid, and sends
 * only what changed.
 */
export function createSectionSave(options: {
  id: SectionId;
  invalid: () => boolean;
  changed: () => Record<string, string>;
  onSaved: (changed: Record<string, string>) => void;
}) {
  const t = settingsText;
  const [showErrors, setShowErrors] = createSignal(false);
  const [success, setSuccess] = createSignal('');
  const action = createAction();

  async function save() {
    setSuccess('');
    setShowErrors(true);
    if (options.invalid()) {
      action.setError(adminWords().fixErrors);
      return;
    }
    const changed = options.changed();
    if (Object.keys(changed).length === 0) {
      action.setError('');
      setSuccess(t().noChanges);
      return;
    }
    const done = await action.run(() => api.option.update.mutate({ values: changed }));
    if (done) {
      options.onSaved(changed);
      setSuccess(t().saved(t().sections[options.id]));
    }
  }

  return { save, showErrors, success, setSuccess, busy: action.busy, error: action.error };
}

/** The section's single options as form fields; editing one clears the last "saved". */
export function FieldGrid(props: {
  fields: FieldSpec[];
  form: ReturnType<typeof createFieldDraft>;
  showErrors: boolean;
  onEdit: () => void;
}) {
  return (
    <div class="form-grid">
      <For each={props.fields}>
        {(field) => (
          <OptionField
            spec={field}
            value={props.form.draft[field.key] ?? ''}
            error={props.showErrors ? props.form.errors().get(field.key) : undefined}
            onInput={(value) => {
              props.onEdit();
              props.form.setDraft(field.key, value);
            }}
          />
        )}
      </For>
    </div>
  );
}

/** A section of single options (switches, numbers, texts), saved together. */
export function FieldsSection(props: {
  id: SectionId;
  fields: FieldSpec[];
  values: Record<string, string>;
  onSaved: (changed: Record<string, string>) => void;
}) {
  const form = createFieldDraft(props.fields, props.values);
  const section = createSectionSave({
    id: props.id,
    invalid: () => form.errors().size > 0,
    changed: () => form.changed(props.values),
    onSaved: (changed) => props.onSaved(changed),
  });

  return (
    <SectionFrame
      id={props.id}
      busy={section.busy()}
      error={section.error()}
      success={section.success()}
      onSubmit={() => void section.save()}
    >
      <FieldGrid
        fields={props.fields}
        form={form}
        showErrors={section.showErrors()}
        onEdit={() => section.setSuccess('')}
      />
      <Show when={props.fields.length === 0}>
        <p class="empty">{common().empty}</p>
      </Show>
    </SectionFrame>
  );
}
