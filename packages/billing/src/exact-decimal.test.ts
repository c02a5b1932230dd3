import { describe, expect, it } from 'vitest';
import { ceilOfProduct, ceilOfSum } from './exact-decimal.js';

describe('ceilOfProduct', () => {
  it.each([
    // Each of these is a whole number in decimals but lands a hair above it in floating point.
    [[100, 0.07], 7],
    [[3, 0.1], 1],
    [[0.07, 500_000, 1], 35_000],
    [[1000, 0.0375, 1.1], 42],
    [[10, 0.1, 3], 3],
    [[1e-7, 1e7], 1],
  ])('%j → %i, not one more', (factors, expected) => {
    expect(ceilOfProduct(factors)).toBe(expected);
  });

  it('still rounds a real fraction up', () => {
    expect(ceilOfProduct([3, 0.075])).toBe(1);
    expect(ceilOfProduct([101, 0.07])).toBe(8); // 7.07
    expect(ceilOfProduct([1, 1e-12])).toBe(1);
  });

  it('is exact for large token counts', () => {
    expect(ceilOfProduct([123_456_789, 0.07])).toBe(8_641_976); // 8,641,975.23
    expect(ceilOfProduct([100_000_000, 0.07])).toBe(7_000_000);
  });

  it('stays exact after more distinct ratios than it remembers', () => {
    for (let step = 1; step <= 3000; step += 1) ceilOfProduct([100, step / 1e4]);
    expect(ceilOfProduct([100, 0.07])).toBe(7);
    expect(ceilOfProduct([1000, 0.0375, 1.1])).toBe(42);
  });

  it('refuses numbers that are not money', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      // Away from an integer the float path answers; near one the decimals are checked.
      expect(() => ceilOfProduct([bad, 1e-300, 0])).toThrow(RangeError);
    }
  });
});

describe('ceilOfSum', () => {
  it('adds the terms exactly before the ceiling', () => {
    // 0.1 + 0.2 = 0.30000000000000004 in floating point.
    expect(
      ceilOfSum([
        [0.1, 10],
        [0.2, 10],
      ]),
    ).toBe(3);
    expect(
      ceilOfSum([
        [50, 0.07],
        [50, 0.07],
      ]),
    ).toBe(7);
  });
});
