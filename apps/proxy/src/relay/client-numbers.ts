import type { Endpoint } from './endpoints.js';
import { RelayBadRequest } from './relay-bad-request.js';

/**
 * Client numbers that reach money arithmetic (the hold, the bill), checked before any hold
 * (DESIGN §5a). JSON.parse turns 1e999 into Infinity and 2^53 + 1 into 2^53, and both would
 * otherwise flow into quota sums.
 */
interface NumberRule {
  min: number;
  max: number;
}

/** No model writes more than this in one answer; larger limits are a mistake or an attack. */
const MAX_COMPLETION_TOKENS = 10_000_000;

const RULES: Partial<Record<Endpoint['billing'], Record<string, NumberRule>>> = {
  tokens: {
    max_tokens: { min: 0, max: MAX_COMPLETION_TOKENS },
    max_completion_tokens: { min: 0, max: MAX_COMPLETION_TOKENS },
    max_output_tokens: { min: 0, max: MAX_COMPLETION_TOKENS },
    // OpenAI's own bounds for choices per request.
    n: { min: 1, max: 128 },
    best_of: { min: 1, max: 128 },
  },
  images: { n: { min: 1, max: 10 } },
};

/** Throws a 400 naming the first field that is not a whole number in its range. */
export function checkClientNumbers(body: Readonly<Record<string, unknown>>, endpoint: Endpoint) {
  const rules = RULES[endpoint.billing];
  if (!rules) return;
  for (const field in rules) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    const { min, max } = rules[field]!;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RelayBadRequest(
        `\`${field}\` must be a whole number from ${min} to ${max} (got ${describeValue(value)}).`,
        'invalid_request_error',
        field,
      );
    }
  }
}

/**
 * The same checks for the text fields of a multipart upload (`n=2`): a number there is written
 * in digits; anything else in a checked field is refused as a JSON string would be.
 */
export function checkFormNumbers(form: Readonly<Record<string, string>>, endpoint: Endpoint) {
  const numbers: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(form)) {
    numbers[field] = /^\d{1,15}$/.test(value) ? Number(value) : value;
  }
  checkClientNumbers(numbers, endpoint);
}

/** A client's value as an error message quotes it, cut short. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
