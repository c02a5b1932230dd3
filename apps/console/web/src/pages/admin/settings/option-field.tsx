import { Match, Switch } from 'solid-js';
import { formatUsd } from '../../../lib/format.ts';
import { Field } from '../../../components/field.tsx';
import { parseInteger } from '../components/format.ts';
import { settingsText } from './messages.ts';
import type { FieldSpec } from './sections.ts';

/** One option's control, by its kind; switches store "true" / "false". */
export function OptionField(props: {
  spec: FieldSpec;
  value: string;
  error?: string;
  onInput: (value: string) => void;
}) {
  const t = settingsText;
  const key = () => props.spec.key;
  const label = () => t().labels[key()] ?? key();
  const hint = () => {
    const text = t().hints[key()];
    if (!props.spec.quota) return text;
    const quota = parseInteger(props.value);
    const usd = quota === undefined ? '' : t().quotaUsd(formatUsd(quota));
    return [usd, text].filter(Boolean).join(' · ');
  };
  const testId = () => `setting-${key()}`;

  return (
    <Switch>
      <Match when={props.spec.kind === 'switch'}>
        <label class="switch-field">
          <input
            type="checkbox"
            role="switch"
            checked={props.value === 'true'}
            data-testid={testId()}
            onChange={(e) => props.onInput(String(e.currentTarget.checked))}
          />
          <span>{label()}</span>
        </label>
      </Match>
      <Match when={props.spec.kind === 'textarea' || props.spec.kind === 'lines'}>
        <div class="wide">
          <Field label={label()} hint={hint()} error={props.error}>
            <textarea
              value={props.value}
              rows={props.spec.kind === 'lines' ? 5 : 3}
              data-testid={testId()}
              onInput={(e) => props.onInput(e.currentTarget.value)}
            />
          </Field>
        </div>
      </Match>
      <Match when={true}>
        <Field label={label()} hint={hint()} error={props.error}>
          <input
            value={props.value}
            // A credential: never shown as typed, never filled in by the browser's login memory.
            type={props.spec.kind === 'secret' ? 'password' : 'text'}
            autocomplete={props.spec.kind === 'secret' ? 'new-password' : undefined}
            inputMode={
              props.spec.kind === 'integer'
                ? 'numeric'
                : props.spec.kind === 'number'
                  ? 'decimal'
                  : undefined
            }
            data-testid={testId()}
            aria-invalid={props.error ? true : undefined}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Field>
      </Match>
    </Switch>
  );
}
