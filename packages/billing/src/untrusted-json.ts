/** Narrowing helpers for client JSON that is only typed, never validated, before billing. */

export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The array, or nothing when the client sent something else. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
