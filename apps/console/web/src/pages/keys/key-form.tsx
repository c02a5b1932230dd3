import { createSignal, For, Show } from 'solid-js';
import { Field } from '../../components/field.tsx';
import { Modal } from '../../components/modal.tsx';
import { ADMIN_ROLE } from '../../components/require-admin.tsx';
import { createAction } from '../../lib/action.ts';
import { formatUsd, toDateTimeInput } from '../../lib/format.ts';
import { common } from '../../lib/i18n.ts';
import { currentUser } from '../../lib/session.ts';
import { site } from '../../lib/site.ts';
import { api } from '../../lib/trpc.ts';
import { keyFormText } from './key-form-messages.ts';
import {
  emptyForm,
  formOf,
  LIMIT_FIELDS,
  settingsOf,
  validate,
  type KeyForm,
  type Problem,
  type Problems,
  type Token,
} from './key-settings.ts';

function describe(problem: Problem | undefined): string | undefined {
  if (!problem) return undefined;
  switch (problem.code) {
    case 'required':
      return keyFormText().required;
    case 'tooLong':
      return keyFormText().tooLong(problem.max);
    case 'quota':
      return keyFormText().badQuota;
    case 'date':
      return keyFormText().badDate;
    case 'past':
      return keyFormText().past;
    case 'duration':
      return keyFormText().badDuration;
    case 'limit':
      return keyFormText().badLimit;
    case 'subnet':
      return keyFormText().badSubnet(problem.entry);
    case 'model':
      return keyFormText().badModel(problem.entry);
  }
}

/**
 * Creates a key (answering with the key, shown once by the caller) or edits one, with every
 * setting of token.create / token.update, checked before sending.
 */
export function KeyFormModal(props: {
  token?: Token;
  onClose: () => void;
  onCreated: (created: { key: string; name: string; models: string[] }) => void;
  onSaved: () => void;
}) {
  const initial = props.token ? formOf(props.token) : emptyForm();
  const [form, setForm] = createSignal<KeyForm>(initial);
  const [problems, setProblems] = createSignal<Problems>({});
  const action = createAction();
  const isAdmin = () => (currentUser()?.role ?? 0) >= ADMIN_ROLE;
  const update = (patch: Partial<KeyForm>) => {
    setForm({ ...form(), ...patch });
    // A field's complaint goes once it is edited; the next submit checks again.
    const rest = { ...problems() };
    for (const key of Object.keys(patch) as (keyof KeyForm)[]) delete rest[key];
    if (patch.duration !== undefined || patch.durationUnit !== undefined) delete rest.duration;
    setProblems(rest);
  };
  const error = (field: keyof KeyForm) => describe(problems()[field]);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const found = validate(form(), initial.expiresAt);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      // Take the person to the first thing to fix.
      const first = (event.currentTarget as HTMLFormElement).querySelector<HTMLElement>(
        '[aria-invalid="true"]',
      );
      first?.focus();
      return;
    }
    const name = form().name.trim();
    const settings = settingsOf(form(), { withGroup: isAdmin() });
    const token = props.token;
    if (token) {
      const saved = await action.run(() =>
        api.token.update.mutate({ id: token.id, name, ...settings }),
      );
      if (saved) props.onSaved();
    } else {
      const created = await action.run(() => api.token.create.mutate({ name, ...settings }));
      if (created) props.onCreated({ key: created.key, name, models: settings.models ?? [] });
    }
  }

  return (
    <Modal
      title={props.token ? keyFormText().editTitle(props.token.name) : keyFormText().createTitle}
      onClose={props.onClose}
      testId="key-form"
    >
      <form onSubmit={submit} novalidate class="key-form">
        <Field label={keyFormText().name} error={error('name')}>
          <input
            name="name"
            maxLength={64}
            aria-invalid={Boolean(problems().name)}
            value={form().name}
            onInput={(e) => update({ name: e.currentTarget.value })}
          />
        </Field>

        <fieldset>
          <legend>{keyFormText().quota}</legend>
          <label class="check">
            <input
              type="radio"
              name="quotaMode"
              value="unlimited"
              checked={form().unlimited}
              onChange={() => update({ unlimited: true })}
            />
            {keyFormText().unlimited}
          </label>
          <label class="check">
            <input
              type="radio"
              name="quotaMode"
              value="limited"
              checked={!form().unlimited}
              onChange={() => update({ unlimited: false })}
            />
            {keyFormText().limited}
          </label>
          <Show when={!form().unlimited}>
            <Field
              label={keyFormText().quotaAmount}
              error={error('quota')}
              hint={
                site().displayInCurrency
                  ? keyFormText().quotaHint(formatUsd(Number(form().quota) || 0))
                  : undefined
              }
            >
              <input
                name="remainQuota"
                inputmode="numeric"
                aria-invalid={Boolean(problems().quota)}
                value={form().quota}
                onInput={(e) => update({ quota: e.currentTarget.value })}
              />
            </Field>
          </Show>
        </fieldset>

        <fieldset>
          <legend>{keyFormText().expiry}</legend>
          <label class="check">
            <input
              type="radio"
              name="expiry"
              value="never"
              checked={form().expiry === 'never'}
              onChange={() => update({ expiry: 'never' })}
            />
            {keyFormText().never}
          </label>
          <label class="check">
            <input
              type="radio"
              name="expiry"
              value="fixed"
              checked={form().expiry === 'fixed'}
              onChange={() => update({ expiry: 'fixed' })}
            />
            {keyFormText().fixed}
          </label>
          <label class="check">
            <input
              type="radio"
              name="expiry"
              value="first_use"
              checked={form().expiry === 'first_use'}
              onChange={() => update({ expiry: 'first_use' })}
            />
            {keyFormText().firstUse}
          </label>
          <Show when={form().expiry === 'fixed'}>
            <Field label={keyFormText().expiresAt} error={error('expiresAt')}>
              <input
                name="expiredTime"
                type="datetime-local"
                min={toDateTimeInput(Date.now() / 1000)}
                aria-invalid={Boolean(problems().expiresAt)}
                value={form().expiresAt}
                onInput={(e) => update({ expiresAt: e.currentTarget.value })}
              />
            </Field>
          </Show>
          <Show when={form().expiry === 'first_use'}>
            <div class="inline-fields">
              <Field label={keyFormText().duration} error={error('duration')}>
                <input
                  name="duration"
                  type="number"
                  min="1"
                  step="any"
                  aria-invalid={Boolean(problems().duration)}
                  value={form().duration}
                  onInput={(e) => update({ duration: e.currentTarget.value })}
                />
              </Field>
              <Field label={keyFormText().unit}>
                <select
                  name="durationUnit"
                  value={form().durationUnit}
                  onChange={(e) =>
                    update({ durationUnit: e.currentTarget.value as KeyForm['durationUnit'] })
                  }
                >
                  <option value="hours">{keyFormText().hours}</option>
                  <option value="days">{keyFormText().days}</option>
                </select>
              </Field>
            </div>
          </Show>
        </fieldset>

        <Field label={keyFormText().models} hint={keyFormText().modelsHint} error={error('models')}>
          <textarea
            name="models"
            rows="3"
            aria-invalid={Boolean(problems().models)}
            value={form().models}
            onInput={(e) => update({ models: e.currentTarget.value })}
          />
        </Field>
        <Field
          label={keyFormText().subnets}
          hint={keyFormText().subnetsHint}
          error={error('subnets')}
        >
          <textarea
            name="subnets"
            rows="2"
            aria-invalid={Boolean(problems().subnets)}
            value={form().subnets}
            onInput={(e) => update({ subnets: e.currentTarget.value })}
          />
        </Field>
        <fieldset>
          <legend>{keyFormText().limits}</legend>
          <p class="hint">{keyFormText().limitsHint}</p>
          <div class="inline-fields">
            <For each={LIMIT_FIELDS}>
              {(field) => (
                <Field label={keyFormText()[field]} error={error(field)}>
                  <input
                    name={field}
                    type="number"
                    min="0"
                    step="1"
                    aria-invalid={Boolean(problems()[field])}
                    value={form()[field]}
                    onInput={(e) => update({ [field]: e.currentTarget.value })}
                  />
                </Field>
              )}
            </For>
          </div>
        </fieldset>
        <Show
          when={isAdmin()}
          fallback={<p class="hint">{keyFormText().groupFixed(currentUser()?.group ?? '')}</p>}
        >
          <Field label={keyFormText().group} hint={keyFormText().groupHint} error={error('group')}>
            <input
              name="group"
              aria-invalid={Boolean(problems().group)}
              value={form().group}
              onInput={(e) => update({ group: e.currentTarget.value })}
            />
          </Field>
        </Show>

        <Show when={action.error()}>
          <p class="error" role="alert">
            {action.error()}
          </p>
        </Show>
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {common().cancel}
          </button>
          <button type="submit" data-testid="key-submit" disabled={action.busy()}>
            {action.busy()
              ? keyFormText().busy
              : props.token
                ? keyFormText().save
                : keyFormText().create}
          </button>
        </div>
      </form>
    </Modal>
  );
}
