import { createMemo } from 'solid-js';
import { createStore } from 'solid-js/store';
import { parseDecimal } from '../components/format.ts';
import { settingsText } from './messages.ts';

export interface MapRow {
  id: number;
  name: string;
  value: string;
}

export interface RowError {
  name?: string;
  value?: string;
}

let nextId = 1;

function rowsOf(json: string): MapRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json || '{}');
  } catch {
    parsed = {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, unknown>).map(([name, value]) => ({
    id: nextId++,
    name,
    value: String(value),
  }));
}

/**
 * One JSON price map (ModelRatio, …) as editable rows: names unique and non-empty, values
 * numbers ≥ 0, written back as the JSON text option.update stores.
 */
export function createMapTable(json: string) {
  const [state, setState] = createStore<{ rows: MapRow[]; baseline: string }>({
    rows: rowsOf(json),
    baseline: json,
  });

  const errors = createMemo(() => {
    const t = settingsText();
    const counts = new Map<string, number>();
    for (const row of state.rows)
      counts.set(row.name.trim(), (counts.get(row.name.trim()) ?? 0) + 1);
    const found = new Map<number, RowError>();
    for (const row of state.rows) {
      const error: RowError = {};
      const name = row.name.trim();
      if (!name) error.name = t.nameRequired;
      else if ((counts.get(name) ?? 0) > 1) error.name = t.nameDuplicate;
      const value = parseDecimal(row.value);
      if (value === undefined || value < 0) error.value = t.valueInvalid;
      if (error.name || error.value) found.set(row.id, error);
    }
    return found;
  });

  /** The rows as a name → number map (invalid rows skipped; check `errors` first). */
  const map = createMemo(() => {
    const entries = new Map<string, number>();
    for (const row of state.rows) {
      const value = parseDecimal(row.value);
      if (row.name.trim() && value !== undefined) entries.set(row.name.trim(), value);
    }
    return entries;
  });

  const toJson = () => JSON.stringify(Object.fromEntries(map()));

  function sameAsBaseline(): boolean {
    try {
      return JSON.stringify(JSON.parse(state.baseline || '{}')) === toJson();
    } catch {
      return false;
    }
  }

  return {
    rows: () => state.rows,
    errors,
    map,
    toJson,
    changed: () => !sameAsBaseline(),
    add: (): number => {
      const id = nextId++;
      setState('rows', (rows) => [...rows, { id, name: '', value: '' }]);
      return id;
    },
    remove: (id: number) => setState('rows', (rows) => rows.filter((row) => row.id !== id)),
    update: (id: number, field: 'name' | 'value', value: string) =>
      setState('rows', (row) => row.id === id, field, value),
    /** After a save: what is stored now. */
    markSaved: () => setState('baseline', toJson()),
  };
}

export type MapTable = ReturnType<typeof createMapTable>;
