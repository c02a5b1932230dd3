import type { z } from 'zod';

/** C0 control characters and DEL: never part of a name, a group, a model or a filter. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

export const CONTROL_CHARACTERS_MESSAGE = 'control characters are not allowed';

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/**
 * Text stored from users or matched against stored text: a NUL would cut SQLite's statement (and
 * PostgreSQL refuses it outright), and an escape sequence in a name would reach the logs and the
 * console of whoever reads them. Refused with the field named, never a database error.
 */
export function plainText<T extends z.ZodString>(schema: T): T {
  return schema.refine((value) => !hasControlCharacters(value), CONTROL_CHARACTERS_MESSAGE);
}
