import { For, Index, Show } from 'solid-js';
import { adminWords } from '../components/messages.ts';
import { channelText } from './messages.ts';

export interface MappingRow {
  from: string;
  to: string;
}

export function mappingRows(mapping: Record<string, string>): MappingRow[] {
  return Object.entries(mapping).map(([from, to]) => ({ from, to }));
}

/** Per row, why it cannot be saved; an empty row (both names blank) is dropped, not an error. */
export function mappingErrors(rows: MappingRow[]): (string | undefined)[] {
  const seen = new Set<string>();
  return rows.map((row) => {
    const from = row.from.trim();
    const to = row.to.trim();
    if (!from && !to) return undefined;
    if (!from || !to) return channelText().mappingEmpty;
    if (seen.has(from)) return channelText().mappingDuplicate;
    seen.add(from);
    return undefined;
  });
}

/** The JSON object channel.create/update expect: requested model → upstream model. */
export function mappingObject(rows: MappingRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.map((row) => [row.from.trim(), row.to.trim()] as const).filter(([from, to]) => from && to),
  );
}

/** Rows of requested model → upstream model; the requested side suggests the chosen models. */
export function MappingEditor(props: {
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
  models: string[];
  errors: (string | undefined)[];
}) {
  const listId = `mapping-models-${Math.random().toString(36).slice(2)}`;
  const t = channelText;
  const set = (index: number, patch: Partial<MappingRow>) =>
    props.onChange(props.rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <fieldset class="mapping-editor">
      <legend>{t().mapping}</legend>
      <datalist id={listId}>
        <For each={props.models}>{(model) => <option value={model} />}</For>
      </datalist>
      <Index each={props.rows}>
        {(row, index) => (
          <div class="mapping-row" data-testid="channel-mapping-row">
            <input
              value={row().from}
              list={listId}
              aria-label={`${t().mappingFrom} ${index + 1}`}
              placeholder={t().mappingFrom}
              aria-invalid={props.errors[index] ? true : undefined}
              onInput={(e) => set(index, { from: e.currentTarget.value })}
            />
            <span aria-hidden="true">→</span>
            <input
              value={row().to}
              aria-label={`${t().mappingTo} ${index + 1}`}
              placeholder={t().mappingTo}
              aria-invalid={props.errors[index] ? true : undefined}
              onInput={(e) => set(index, { to: e.currentTarget.value })}
            />
            <button
              type="button"
              class="secondary small"
              aria-label={adminWords().removeItem(row().from || String(index + 1))}
              onClick={() => props.onChange(props.rows.filter((_, i) => i !== index))}
            >
              ✕
            </button>
            <Show when={props.errors[index]}>
              <small class="field-error" role="alert">
                {props.errors[index]}
              </small>
            </Show>
          </div>
        )}
      </Index>
      <div>
        <button
          type="button"
          class="secondary small"
          data-testid="channel-mapping-add"
          onClick={() => props.onChange([...props.rows, { from: '', to: '' }])}
        >
          {t().mappingAdd}
        </button>
      </div>
      <small class="hint">{t().mappingHint}</small>
    </fieldset>
  );
}
