import { createEffect, createSignal, For, Show } from 'solid-js';
import { parseDecimal } from '../components/format.ts';
import { adminWords } from '../components/messages.ts';
import type { MapTable } from './map-table.ts';
import { settingsText } from './messages.ts';

export interface DerivedColumn {
  header: string;
  /** The row's equivalent in clear units, from its name and parsed value. */
  value: (name: string, value: number | undefined) => string;
}

/** One price map as a table of name → number rows, with columns in US dollars beside. */
export function RatioTable(props: {
  optionKey: string;
  table: MapTable;
  derived: DerivedColumn[];
  defaultOpen?: boolean;
  showErrors: boolean;
}) {
  const t = settingsText;
  const [filter, setFilter] = createSignal('');
  let details!: HTMLDetailsElement;
  let body!: HTMLTableSectionElement;

  const errorCount = () => props.table.errors().size;
  const visible = () => {
    const needle = filter().trim().toLowerCase();
    if (!needle) return props.table.rows();
    return props.table.rows().filter((row) => !row.name || row.name.toLowerCase().includes(needle));
  };

  createEffect(() => {
    if (props.showErrors && errorCount() > 0) details.open = true;
  });

  function add() {
    setFilter('');
    const id = props.table.add();
    body.querySelector<HTMLInputElement>(`[data-row-id="${id}"] input`)?.focus();
  }

  const title = () => t().tables[props.optionKey] ?? props.optionKey;
  const nameColumn = () => t().nameColumn[props.optionKey] ?? 'Name';
  const valueColumn = () => t().valueColumn[props.optionKey] ?? 'Value';

  return (
    <details
      class="map-table"
      ref={details}
      open={props.defaultOpen}
      data-testid={`settings-table-${props.optionKey}`}
    >
      <summary>
        <strong>{title()}</strong>{' '}
        <span class="sub-inline">{t().rows(props.table.rows().length)}</span>
        <Show when={props.showErrors && errorCount() > 0}>
          {' '}
          <span class="field-error">{t().tableErrors(title(), errorCount())}</span>
        </Show>
      </summary>
      <p class="hint">{t().tableHints[props.optionKey]}</p>
      <div class="table-tools">
        <input
          type="search"
          value={filter()}
          placeholder={t().filterRows}
          aria-label={`${title()}: ${t().filterRows}`}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <button
          type="button"
          class="secondary small"
          data-testid={`settings-add-${props.optionKey}`}
          onClick={add}
        >
          {t().addRow}
        </button>
      </div>
      <div class="table-wrap tall">
        <table class="admin-table compact">
          <thead>
            <tr>
              <th scope="col">{nameColumn()}</th>
              <th scope="col">{valueColumn()}</th>
              <For each={props.derived}>{(column) => <th scope="col">{column.header}</th>}</For>
              <th scope="col">
                <span class="sr-only">{adminWords().remove}</span>
              </th>
            </tr>
          </thead>
          <tbody ref={body}>
            <For each={visible()}>
              {(row, index) => {
                const error = () =>
                  props.showErrors ? props.table.errors().get(row.id) : undefined;
                const parsed = () => parseDecimal(row.value);
                return (
                  <tr data-row-id={row.id} data-testid={`settings-row-${props.optionKey}`}>
                    <td>
                      <input
                        value={row.name}
                        aria-label={t().rowLabel(nameColumn(), index() + 1)}
                        aria-invalid={error()?.name ? true : undefined}
                        onInput={(e) => props.table.update(row.id, 'name', e.currentTarget.value)}
                      />
                      <Show when={error()?.name}>
                        <small class="field-error">{error()?.name}</small>
                      </Show>
                    </td>
                    <td>
                      <input
                        class="number"
                        value={row.value}
                        inputMode="decimal"
                        aria-label={t().rowLabel(valueColumn(), index() + 1)}
                        aria-invalid={error()?.value ? true : undefined}
                        onInput={(e) => props.table.update(row.id, 'value', e.currentTarget.value)}
                      />
                      <Show when={error()?.value}>
                        <small class="field-error">{error()?.value}</small>
                      </Show>
                    </td>
                    <For each={props.derived}>
                      {(column) => (
                        <td class="num derived">{column.value(row.name.trim(), parsed())}</td>
                      )}
                    </For>
                    <td>
                      <button
                        type="button"
                        class="secondary small"
                        aria-label={adminWords().removeItem(row.name || String(index() + 1))}
                        onClick={() => props.table.remove(row.id)}
                      >
                        ✕
                      </button>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
    </details>
  );
}
