import { For } from 'solid-js';
import { formatNumber } from '../../../lib/format.ts';
import { formatDollars, parseDecimal } from '../components/format.ts';
import { createFieldDraft, createSectionSave, FieldGrid, SectionFrame } from './fields-section.tsx';
import { createMapTable, type MapTable } from './map-table.ts';
import { settingsText } from './messages.ts';
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
  const section = createSectionSave({
    id: 'prices',
    invalid: () =>
      form.errors().size > 0 || PRICE_MAPS.some((key) => tables[key].errors().size > 0),
    changed: () => {
      const changed: Record<string, string> = { ...form.changed(props.values) };
      for (const key of PRICE_MAPS) {
        if (tables[key].changed()) changed[key] = tables[key].toJson();
      }
      return changed;
    },
    onSaved: (changed) => {
      for (const key of PRICE_MAPS) tables[key].markSaved();
      props.onSaved(changed);
    },
  });

  // The dollar columns follow the quota per dollar being typed, when it is valid.
  const quotaPerUnit = () => {
    const typed = parseDecimal(form.draft.QuotaPerUnit ?? '');
    return typed !== undefined && typed >= 1 ? typed : DEFAULT_QUOTA_PER_UNIT;
  };
  /** Dollars per 1M tokens at a ratio. */
  const perMillion = (ratio: number) => formatDollars((ratio * 1_000_000) / quotaPerUnit());
  const ratioOf = (key: PriceMap, name: string) => tables[key].map().get(name);
  /** Dollars per 1M tokens for a share of the model's prompt price (cache reads and writes). */
  const shareOfPrompt = (name: string, share: number | undefined) => {
    const model = ratioOf('ModelRatio', name);
    if (share === undefined) return '—';
    return model === undefined ? t().needsModelRatio : perMillion(model * share);
  };

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
    CacheRatio: () => [{ header: t().cachedPerMillion, value: shareOfPrompt }],
    CreateCacheRatio: () => [{ header: t().cacheWritePerMillion, value: shareOfPrompt }],
  };

  return (
    <SectionFrame
      id="prices"
      busy={section.busy()}
      error={section.error()}
      success={section.success()}
      onSubmit={() => void section.save()}
    >
      <FieldGrid
        fields={PRICE_FIELDS}
        form={form}
        showErrors={section.showErrors()}
        onEdit={() => section.setSuccess('')}
      />
      <For each={PRICE_MAPS}>
        {(key) => (
          <RatioTable
            optionKey={key}
            table={tables[key]}
            derived={derived[key]()}
            defaultOpen={key === 'ModelRatio'}
            showErrors={section.showErrors()}
          />
        )}
      </For>
    </SectionFrame>
  );
}
