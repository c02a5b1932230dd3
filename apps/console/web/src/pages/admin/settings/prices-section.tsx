import { createSignal, For } from 'solid-js';
import { createAction } from '../../../lib/action.ts';
import { formatNumber } from '../../../lib/format.ts';
import { api } from '../../../lib/trpc.ts';
import { adminWords } from '../components/messages.ts';
import { formatDollars, parseDecimal } from '../components/format.ts';
import { createFieldDraft, SectionFrame } from './fields-section.tsx';
import { createMapTable, type MapTable } from './map-table.ts';
import { settingsText } from './messages.ts';
import { OptionField } from './option-field.tsx';
import { RatioTable, type DerivedColumn } from './ratio-table.tsx';
import { PRICE_FIELDS, PRICE_MAPS } from './sections.ts';

type PriceMap = (typeof PRICE_MAPS)[number];

const DEFAULT_QUOTA_PER_UNIT = 500_000;

/** Quota per dollar, the price maps as tables, and every price also in dollars. */
export function PricesSection(props: {
  values: Record<string, string>;
  onSaved: (changed: Record<string, string>) => void;
}) {
  const t = settingsText;
  const form = createFieldDraft(PRICE_FIELDS, props.values);
  const tables = Object.fromEntries(
    PRICE_MAPS.map((key) => [key, createMapTable(props.values[key] ?? '{}')]),
  ) as Record<PriceMap, MapTable>;
  const [showErrors, setShowErrors] = createSignal(false);
  const [success, setSuccess] = createSignal('');
  const action = createAction();

  // The dollar columns follow the quota per dollar being typed, when it is valid.
  const quotaPerUnit = () => {
    const typed = parseDecimal(form.draft.QuotaPerUnit ?? '');
    return typed !== undefined && typed >= 1 ? typed : DEFAULT_QUOTA_PER_UNIT;
  };
  /** Dollars per 1M tokens at a ratio. */
  const perMillion = (ratio: number) => formatDollars((ratio * 1_000_000) / quotaPerUnit());
  const ratioOf = (key: PriceMap, name: string) => tables[key].map().get(name);

  const derived: Record<PriceMap, () => DerivedColumn[]> = {
    ModelRatio: () => [
      {
        header: t().inputPerMillion,
        value: (_, ratio) => (ratio === undefined ? '—' : perMillion(ratio)),
      },
      {
        header: t().outputPerMillion,
        value: (name, ratio) =>
          ratio === undefined ? '—' : perMillion(ratio * (ratioOf('CompletionRatio', name) ?? 1)),
      },
    ],
    CompletionRatio: () => [
      {
        header: t().outputPerMillion,
        value: (name, ratio) => {
          const model = ratioOf('ModelRatio', name);
          if (ratio === undefined) return '—';
          return model === undefined ? t().needsModelRatio : perMillion(model * ratio);
        },
      },
    ],
    GroupRatio: () => [
      {
        header: t().valueColumn.GroupRatio ?? '',
        value: (_, ratio) => (ratio === undefined ? '—' : t().priceTimes(String(ratio))),
      },
    ],
    ModelPrice: () => [
      {
        header: t().quotaPerCall,
        value: (_, usd) =>
          usd === undefined ? '—' : formatNumber(Math.round(usd * quotaPerUnit())),
      },
    ],
    CacheRatio: () => [
      {
        header: t().cachedPerMillion,
        value: (name, share) => {
          const model = ratioOf('ModelRatio', name);
          if (share === undefined) return '—';
          return model === undefined ? t().needsModelRatio : perMillion(model * share);
        },
      },
    ],
  };

  async function save() {
    setSuccess('');
    setShowErrors(true);
    const invalid =
      form.errors().size > 0 || PRICE_MAPS.some((key) => tables[key].errors().size > 0);
    if (invalid) {
      action.setError(adminWords().fixErrors);
      return;
    }
    const changed: Record<string, string> = { ...form.changed(props.values) };
    for (const key of PRICE_MAPS) {
      if (tables[key].changed()) changed[key] = tables[key].toJson();
    }
    if (Object.keys(changed).length === 0) {
      action.setError('');
      setSuccess(t().noChanges);
      return;
    }
    const done = await action.run(() => api.option.update.mutate({ values: changed }));
    if (done) {
      for (const key of PRICE_MAPS) tables[key].markSaved();
      props.onSaved(changed);
      setSuccess(t().saved(t().sections.prices));
    }
  }

  return (
    <SectionFrame
      id="prices"
      busy={action.busy()}
      error={action.error()}
      success={success()}
      onSubmit={() => void save()}
    >
      <div class="form-grid">
        <For each={PRICE_FIELDS}>
          {(field) => (
            <OptionField
              spec={field}
              value={form.draft[field.key] ?? ''}
              error={showErrors() ? form.errors().get(field.key) : undefined}
              onInput={(value) => {
                setSuccess('');
                form.setDraft(field.key, value);
              }}
            />
          )}
        </For>
      </div>
      <For each={PRICE_MAPS}>
        {(key) => (
          <RatioTable
            optionKey={key}
            table={tables[key]}
            derived={derived[key]()}
            defaultOpen={key === 'ModelRatio'}
            showErrors={showErrors()}
          />
        )}
      </For>
    </SectionFrame>
  );
}
