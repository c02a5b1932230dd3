/** Pixel dimensions of an image. */
export interface ImageSize {
  width: number;
  height: number;
}

/** What every image costs, and all a `detail: "low"` image costs (OpenAI vision pricing). */
export const IMAGE_BASE_TOKENS = 85;
/** What each 512 px tile of a high-detail image adds. */
export const IMAGE_TILE_TOKENS = 170;
/**
 * A high-detail image of unknown size is billed as a 1024 × 1024 one: scaled to 768 × 768,
 * 4 tiles, 85 + 4 × 170 = 765, OpenAI's own worked example.
 */
export const UNKNOWN_IMAGE_TOKENS = IMAGE_BASE_TOKENS + 4 * IMAGE_TILE_TOKENS;

/**
 * Prompt tokens of one image part. `low` is a flat 85; `high`, `auto` and anything else are
 * counted as high detail (`auto` lets the model pick, and the gateway cannot know its pick).
 */
export function imageTokens(detail: string | undefined, size?: ImageSize): number {
  if (detail === 'low') return IMAGE_BASE_TOKENS;
  if (size === undefined) return UNKNOWN_IMAGE_TOKENS;
  return IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * tileCount(size);
}

/**
 * High detail first fits the image inside 2048 × 2048, then shrinks its shorter side to
 * 768 px; neither step enlarges a small image. Then it counts 512 px tiles.
 */
function tileCount({ width, height }: ImageSize): number {
  const fit = Math.min(1, 2048 / Math.max(width, height));
  const shrink = Math.min(1, 768 / (Math.min(width, height) * fit));
  const scale = fit * shrink;
  // Whole pixels, as a real resize produces; also keeps 1536.0000001 from becoming 4 tiles.
  const w = Math.max(1, Math.floor(width * scale));
  const h = Math.max(1, Math.floor(height * scale));
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}
