/** A Gemini GenerateContentRequest the gateway cannot convert; its message names the field. */
export class GeminiRequestError extends Error {
  override readonly name = 'GeminiRequestError';
  constructor(
    message: string,
    /**
     * The body is fine but asks for what only Google serves (a cached context, built-in tools,
     * files uploaded to Google): a Gemini channel can still serve it as it came.
     */
    readonly nativeOnly = false,
  ) {
    super(message);
  }
}

export function invalid(field: string, problem: string): never {
  throw new GeminiRequestError(`${field}: ${problem}`);
}

/** A field only Google's own API serves (see GeminiRequestError.nativeOnly). */
export function nativeOnly(field: string, problem: string): never {
  throw new GeminiRequestError(`${field}: ${problem}`, true);
}

/** Optional fields may be missing or null alike. */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(field, 'must be a string');
  return value;
}

/** A client's name for something, short enough to quote in an error message. */
export function quoted(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name.slice(0, 40)) : 'this';
}
