/**
 * Ceilings of ratio arithmetic, exact to the unit. Ratios are decimals an operator typed
 * (0.07, 1.25, 0.0375), but in binary floating point 100 × 0.07 = 7.000000000000001, and a
 * plain Math.ceil bills 8. A number's shortest decimal form (what `String(x)` prints) is the
 * value the operator meant, so near an integer the product is recomputed from those decimals
 * with BigInt; elsewhere the float's ceiling is already right (its error is ~1e-16 relative).
 */

/** value = digits / 10^scale */
interface Decimal {
  digits: bigint;
  scale: number;
}

/** How far from an integer a float product may be and still be an integer in decimals. */
const NEAR_INTEGER = 1e-9;

/** ceil(Σ over terms of Π of their factors); every factor finite and ≥ 0. */
export function ceilOfSum(terms: readonly (readonly number[])[]): number {
  let float = 0;
  for (const factors of terms) float += product(factors);
  const nearest = Math.round(float);
  if (Math.abs(float - nearest) > NEAR_INTEGER * Math.max(1, nearest)) return Math.ceil(float);
  let sum: Decimal = { digits: 0n, scale: 0 };
  for (const factors of terms) {
    let term: Decimal = { digits: 1n, scale: 0 };
    for (const factor of factors) term = multiply(term, decimalOf(factor));
    sum = add(sum, term);
  }
  return Number(ceilOf(sum));
}

/** ceil(Π factors), exact to the unit. */
export function ceilOfProduct(factors: readonly number[]): number {
  return ceilOfSum([factors]);
}

function product(factors: readonly number[]): number {
  let value = 1;
  for (const factor of factors) value *= factor;
  return value;
}

// Ratios are few and repeat on every bill: each is parsed once. Bounded, since a factor
// may also come from a client's request (an image count, a token estimate).
const decimals = new Map<number, Decimal>();
const MAX_REMEMBERED_DECIMALS = 1024;

function decimalOf(value: number): Decimal {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`billing: ${value} is not a finite, non-negative number`);
  }
  if (Number.isSafeInteger(value)) return { digits: BigInt(value), scale: 0 };
  let decimal = decimals.get(value);
  if (decimal === undefined) {
    if (decimals.size >= MAX_REMEMBERED_DECIMALS) decimals.clear();
    decimal = parseDecimal(value);
    decimals.set(value, decimal);
  }
  return decimal;
}

function parseDecimal(value: number): Decimal {
  // String() gives the shortest decimal that reads back as the same double, e.g. "1.25e-7".
  const [mantissa = '0', exponent = '0'] = String(value).split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const scale = fraction.length - Number(exponent);
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function multiply(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, scale: a.scale + b.scale };
}

function add(a: Decimal, b: Decimal): Decimal {
  if (a.scale < b.scale) return add(b, a);
  return { digits: a.digits + b.digits * 10n ** BigInt(a.scale - b.scale), scale: a.scale };
}

function ceilOf(value: Decimal): bigint {
  const unit = 10n ** BigInt(value.scale);
  return (value.digits + unit - 1n) / unit;
}
