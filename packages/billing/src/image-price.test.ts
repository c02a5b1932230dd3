import { describe, expect, it } from 'vitest';
import { imagePriceFactor } from './image-price.js';

describe('imagePriceFactor', () => {
  it.each([
    ['dall-e-3', undefined, undefined, 1],
    ['dall-e-3', '1792x1024', 'standard', 2],
    ['dall-e-3', '1024x1024', 'hd', 2],
    ['dall-e-3', '1024x1792', 'hd', 3],
    ['dall-e-2', '256x256', undefined, 0.8],
    ['gpt-image-1', '1536x1024', 'high', 1],
  ])('%s %s %s → ×%d', (model, size, quality, factor) => {
    expect(imagePriceFactor(model, size, quality)).toBe(factor);
  });
});
