import { describe, expect, it } from 'vitest';
import { imageTokens } from './image-tokens.js';

describe('imageTokens', () => {
  it('bills low detail a flat 85 at any size', () => {
    expect(imageTokens('low', { width: 4096, height: 8192 })).toBe(85);
    expect(imageTokens('low')).toBe(85);
  });

  // OpenAI's vision pricing examples and the rules behind them.
  it.each([
    ['1024 × 1024 → 768 × 768, 4 tiles', 1024, 1024, 765],
    ['2048 × 4096 → 1024 × 2048 → 768 × 1536, 6 tiles', 2048, 4096, 1105],
    ['4096 × 8192 fits in 2048 first, 6 tiles', 4096, 8192, 1105],
    ['512 × 512 is one tile and is not enlarged', 512, 512, 255],
    ['100 × 100 is one tile', 100, 100, 255],
    ['513 × 512 spills into a second tile', 513, 512, 425],
    ['768 × 1536 stays as it is, 6 tiles', 768, 1536, 1105],
    ['3000 × 1000 → 2048 × 682, 8 tiles', 3000, 1000, 1445],
  ])('high detail: %s = %i tokens', (_name, width, height, tokens) => {
    expect(imageTokens('high', { width, height })).toBe(tokens);
  });

  it('counts auto and a missing detail as high', () => {
    expect(imageTokens('auto', { width: 512, height: 512 })).toBe(255);
    expect(imageTokens(undefined, { width: 2048, height: 4096 })).toBe(1105);
  });

  it('bills a high-detail image of unknown size as 1024 × 1024 (765)', () => {
    expect(imageTokens('high')).toBe(765);
    expect(imageTokens('auto')).toBe(765);
    expect(imageTokens(undefined)).toBe(765);
  });
});
