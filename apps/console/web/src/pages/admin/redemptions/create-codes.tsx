import { createMemo, createSignal, Show } from 'solid-js';
import { CopyButton } from '../../../components/copy-button.tsx';
import { Modal } from '../../../components/modal.tsx';
import { createAction } from '../../../lib/action.ts';
import { formatUsd } from '../../../lib/format.ts';
import { common } from '../../../lib/i18n.ts';
import { api } from '../../../lib/trpc.ts';
import { downloadText } from '../components/download.ts';
import { Field } from '../../../components/field.tsx';
import { FormMessage } from '../components/form-message.tsx';
import { parseInteger } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';
import { redemptionText } from './messages.ts';

interface Batch {
  name: string;
  keys: string[];
}

/** The batch form; the new codes appear once, in a dialog, to copy or download. */
export function CreateCodes(props: { onCreated: () => void }) {
  const t = redemptionText;
  const [name, setName] = createSignal('');
  const [quota, setQuota] = createSignal('500000');
  const [count, setCount] = createSignal('1');
  const [tried, setTried] = createSignal(false);
  const [batch, setBatch] = createSignal<Batch>();
  const action = createAction();

  const quotaUsd = () => {
    const value = parseInteger(quota());
    return value === undefined ? '—' : formatUsd(value);
  };

  function validate() {
    const found: { name?: string; quota?: string; count?: string } = {};
    const trimmed = name().trim();
    if (!trimmed || trimmed.length > 64) found.name = t().nameRequired;
    const quotaValue = parseInteger(quota());
    if (quotaValue === undefined || quotaValue <= 0) found.quota = t().quotaPositive;
    const countValue = parseInteger(count());
    if (countValue === undefined || countValue < 1 || countValue > 100)
      found.count = t().countRange;
    return found;
  }
  /** Shown from the first attempt on, and updated while the fields are fixed. */
  const errors = createMemo(() => (tried() ? validate() : {}));

  /** Until the fields are fixed, say so; otherwise the server's answer. */
  const formError = () =>
    Object.keys(errors()).length > 0 ? adminWords().fixErrors : action.error();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setTried(true);
    action.setError('');
    if (Object.keys(errors()).length > 0) return;
    const trimmed = name().trim();
    const quotaValue = Number(quota());
    const countValue = Number(count());
    const result = await action.run(() =>
      api.redemption.create.mutate({ name: trimmed, quota: quotaValue, count: countValue }),
    );
    if (result) {
      setBatch({ name: trimmed, keys: result.keys });
      setName('');
      setTried(false);
      props.onCreated();
    }
  }

  function download(current: Batch) {
    const stamp = new Date().toISOString().slice(0, 10);
    const safe = current.name.replace(/[^\p{L}\p{N}_-]+/gu, '-');
    downloadText(`redemption-codes-${safe}-${stamp}.txt`, current.keys.join('\n') + '\n');
  }

  return (
    <>
      <form class="admin-form card-form" onSubmit={(e) => void submit(e)} novalidate>
        <h2>{t().createTitle}</h2>
        <div class="form-grid three">
          <Field label={t().name} error={errors().name}>
            <input
              value={name()}
              maxLength={64}
              placeholder={t().namePlaceholder}
              data-testid="redemption-name"
              aria-invalid={errors().name ? true : undefined}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field label={t().quota} hint={t().quotaHint(quotaUsd())} error={errors().quota}>
            <input
              value={quota()}
              inputMode="numeric"
              data-testid="redemption-quota"
              aria-invalid={errors().quota ? true : undefined}
              onInput={(e) => setQuota(e.currentTarget.value)}
            />
          </Field>
          <Field label={t().count} hint={t().countHint} error={errors().count}>
            <input
              value={count()}
              type="number"
              min="1"
              max="100"
              inputMode="numeric"
              data-testid="redemption-count"
              aria-invalid={errors().count ? true : undefined}
              onInput={(e) => setCount(e.currentTarget.value)}
            />
          </Field>
        </div>
        <FormMessage error={formError()} />
        <div class="actions">
          <button type="submit" disabled={action.busy()} data-testid="redemption-create">
            {action.busy() ? t().creating : t().create}
          </button>
        </div>
      </form>

      <Show when={batch()}>
        {(current) => (
          <Modal
            title={t().codesTitle(current().keys.length)}
            onClose={() => setBatch(undefined)}
            keepOnBackdrop
            testId="redemption-codes-dialog"
          >
            <p class="notice">{t().codesOnce}</p>
            <pre class="codes" data-testid="redemption-codes" tabindex="0">
              {current().keys.join('\n')}
            </pre>
            <div class="actions">
              <CopyButton
                text={current().keys.join('\n')}
                label={t().copyAll}
                testId="redemption-copy"
              />
              <button
                type="button"
                class="secondary"
                data-testid="redemption-download"
                onClick={() => download(current())}
              >
                {t().download}
              </button>
              <button type="button" onClick={() => setBatch(undefined)}>
                {common().close}
              </button>
            </div>
          </Modal>
        )}
      </Show>
    </>
  );
}
