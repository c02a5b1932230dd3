/** A Responses body the gateway cannot convert; its message names the field at fault. */
export class ResponsesRequestError extends Error {
  override readonly name = 'ResponsesRequestError';
  constructor(
    message: string,
    /**
     * The body is fine but asks for what only OpenAI's own API has (stored responses, built-in
     * tools, files): an upstream that speaks the Responses API can still serve it as it came.
     */
    readonly nativeOnly = false,
  ) {
    super(message);
  }
}

export function invalid(field: string, problem: string): never {
  throw new ResponsesRequestError(`${field}: ${problem}`);
}

/** A field only OpenAI's own Responses API serves (see ResponsesRequestError.nativeOnly). */
export function nativeOnly(field: string, problem: string): never {
  throw new ResponsesRequestError(`${field}: ${problem}`, true);
}

/** Optional fields may be missing or null alike. */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(field, 'must be a string');
  return value;
}

/** A client's type name, short enough to quote in an error message. */
export function quoted(type: unknown): string {
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : 'this';
}
