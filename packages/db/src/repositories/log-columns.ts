import type { ModelAttributeColumnOptions } from 'sequelize';
import type { Models } from '../models/index.js';

/**
 * What a log column holds, and how any value is made to fit it on every dialect: a bill's
 * log row must never be refused, or the batch it is written with is refused with it.
 */
export interface LogColumn {
  /** The API's name (`model`), which the log row passes in. */
  name: string;
  /** The model's attribute (`modelName`). */
  attribute: string;
  /** The column (`model_name`). */
  field: string;
  fallback: unknown;
  /** The value as the column can store it; null and undefined are the caller's to replace. */
  fit(value: unknown): number | boolean | string;
}

/** INTEGER on PostgreSQL and MySQL (SQLite's is wider: the narrowest decides). */
const INTEGER = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** BIGINT, as far as a JavaScript number is still exact. */
const BIGINT = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Counts and durations: a negative one (a stream that ended before its first byte) is 0. */
const NOT_NEGATIVE = new Set(['promptTokens', 'completionTokens', 'ttftMs', 'durationMs']);

/**
 * Control characters mean nothing in a name or a model, and NUL is dangerous: it ends
 * SQLite's statement and PostgreSQL's text refuses it. Free text keeps tabs and line breaks.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function integerFit(range: { min: number; max: number }): LogColumn['fit'] {
  return (value) => {
    const number = Math.round(Number(value));
    // NaN or infinite says nothing about the amount: no number rather than the largest.
    if (!Number.isFinite(number)) return 0;
    return Math.min(range.max, Math.max(range.min, number));
  };
}

/** At most `length` characters (code points, as PostgreSQL and MySQL count them). */
function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const points = Array.from(text);
  return points.length <= length ? text : points.slice(0, length).join('');
}

function fitOf(attribute: string, options: ModelAttributeColumnOptions): LogColumn['fit'] {
  const type = options.type as { key?: string; options?: { length?: unknown } };
  switch (type.key) {
    case 'INTEGER':
    case 'BIGINT': {
      const range = type.key === 'BIGINT' ? BIGINT : INTEGER;
      return integerFit(NOT_NEGATIVE.has(attribute) ? { ...range, min: 0 } : range);
    }
    case 'BOOLEAN':
      return Boolean;
    case 'STRING': {
      const length = Number(type.options?.length ?? 255);
      return (value) => cut(String(value).replace(NAME_CONTROLS, ''), length);
    }
    default:
      return (value) => String(value).replace(TEXT_CONTROLS, '');
  }
}

const columnsOf = new WeakMap<Models['Log'], LogColumn[]>();

/** The logs table's columns but the id, worked out once per model. */
export function logColumns(Log: Models['Log']): LogColumn[] {
  const known = columnsOf.get(Log);
  if (known) return known;
  const columns = Object.entries(Log.getAttributes())
    .filter(([attribute]) => attribute !== 'id')
    .map(([attribute, options]) => ({
      name: attribute === 'modelName' ? 'model' : attribute,
      attribute,
      field: options.field ?? attribute,
      fallback: options.defaultValue ?? null,
      fit: fitOf(attribute, options),
    }));
  columnsOf.set(Log, columns);
  return columns;
}
