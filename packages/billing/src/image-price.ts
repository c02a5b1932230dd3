/**
 * How many times the model's per-image price (ModelPrice) one image costs, by size and quality,
 * from OpenAI's price page: dall-e-3 is $0.04 at 1024², twice that wide or in hd, three times
 * both; dall-e-2 is $0.016 / $0.018 / $0.02 by size. Other models: 1.
 */
const FACTORS: Record<string, Record<string, number>> = {
  'dall-e-3': {
    'standard 1024x1024': 1,
    'standard 1024x1792': 2,
    'standard 1792x1024': 2,
    'hd 1024x1024': 2,
    'hd 1024x1792': 3,
    'hd 1792x1024': 3,
  },
  'dall-e-2': { 'standard 256x256': 0.8, 'standard 512x512': 0.9, 'standard 1024x1024': 1 },
};

export function imagePriceFactor(model: string, size: unknown, quality: unknown): number {
  const table = FACTORS[model];
  if (!table) return 1;
  const key = `${quality === 'hd' ? 'hd' : 'standard'} ${typeof size === 'string' ? size : '1024x1024'}`;
  return table[key] ?? 1;
}
