import { createSignal } from 'solid-js';
import { Field } from '../../../components/field.tsx';
import { createAction } from '../../../lib/action.ts';
import { api } from '../../../lib/trpc.ts';
import { FormMessage } from '../components/form-message.tsx';
import { createFieldDraft, createSectionSave, FieldGrid, SectionFrame } from './fields-section.tsx';
import { settingsText } from './messages.ts';
import { NOTIFICATION_FIELDS } from './sections.ts';

/** Sends a test email through the saved SMTP settings and says what came of it. */
function TestEmail() {
  const t = settingsText;
  const [to, setTo] = createSignal('');
  const [sent, setSent] = createSignal('');
  const action = createAction();

  async function send() {
    setSent('');
    const address = to().trim();
    const result = await action.run(() =>
      api.option.testEmail.mutate(address ? { to: address } : {}),
    );
    if (result) setSent(t().testEmailSent(result.to));
  }

  return (
    <div class="wide">
      <Field label={t().testEmailTo} hint={t().testEmailHint}>
        <input
          type="email"
          value={to()}
          data-testid="settings-test-email-to"
          onInput={(e) => setTo(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter here sends the test, not the section's save.
            if (e.key === 'Enter') {
              e.preventDefault();
              void send();
            }
          }}
        />
      </Field>
      <FormMessage error={action.error()} success={sent()} />
      <button
        type="button"
        class="secondary"
        disabled={action.busy()}
        data-testid="settings-test-email"
        onClick={() => void send()}
      >
        {action.busy() ? t().sendingTestEmail : t().sendTestEmail}
      </button>
    </div>
  );
}

/** SMTP and webhook settings, saved together, with a test email button. */
export function NotificationsSection(props: {
  values: Record<string, string>;
  onSaved: (changed: Record<string, string>) => void;
}) {
  const form = createFieldDraft(NOTIFICATION_FIELDS, props.values);
  const section = createSectionSave({
    id: 'notifications',
    invalid: () => form.errors().size > 0,
    changed: () => form.changed(props.values),
    onSaved: (changed) => props.onSaved(changed),
  });

  return (
    <SectionFrame
      id="notifications"
      busy={section.busy()}
      error={section.error()}
      success={section.success()}
      onSubmit={() => void section.save()}
    >
      <FieldGrid
        fields={NOTIFICATION_FIELDS}
        form={form}
        showErrors={section.showErrors()}
        onEdit={() => section.setSuccess('')}
      />
      <TestEmail />
    </SectionFrame>
  );
}
