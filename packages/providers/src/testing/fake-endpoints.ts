import { createHash } from 'node:crypto';
import type { FakeUsage } from './fake-answer.js';
import { fakeInputs, fakeInputTokens } from './fake-tokens.js';

const DIMENSIONS = 8;

// A 1×1 transparent PNG.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
];

/**
 * The vector the fake gives an embeddings input: `dimensions` multiples of 1/128 in
 * [-1, 1), derived from the input, exact in float32 so base64 answers compare too.
 */
export function fakeEmbedding(input: string | number[], dimensions = DIMENSIONS): number[] {
  const hash = createHash('sha256').update(JSON.stringify(input)).digest();
  return Array.from({ length: dimensions }, (_, i) => (((hash[i % 32] ?? 0) + i) % 256) / 128 - 1);
}

/** An embeddings answer: one vector per input, floats or base64 little-endian float32. */
export function embeddings(
  request: { model?: string; input?: unknown; encoding_format?: unknown; dimensions?: unknown },
  withUsage: boolean,
): { body: object; usage: Omit<FakeUsage, 'completion_tokens'> } {
  const dimensions = typeof request.dimensions === 'number' ? request.dimensions : DIMENSIONS;
  const data = fakeInputs(request.input).map((input, index) => {
    const vector = fakeEmbedding(input, dimensions);
    const embedding =
      request.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  const promptTokens = fakeInputTokens(request.input).reduce((sum, n) => sum + n, 0);
  const usage = { prompt_tokens: promptTokens, total_tokens: promptTokens };
  const body = {
    object: 'list',
    data,
    model: request.model ?? 'unknown',
    ...(withUsage ? { usage } : {}),
  };
  return { body, usage };
}

/** A moderation answer that flags nothing, one result per input. */
export function moderation(request: { model?: string; input?: unknown }, id: string): object {
  const inputs = Array.isArray(request.input) ? request.input.length : 1;
  const result = {
    flagged: false,
    categories: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, false])),
    category_scores: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, 0.0001])),
  };
  return {
    id,
    model: request.model ?? 'omni-moderation-latest',
    results: Array.from({ length: inputs }, () => result),
  };
}

/** `n` images as URLs or as base64 PNGs (`response_format: "b64_json"`). */
export function images(
  request: { model?: string; prompt?: unknown; n?: unknown; response_format?: unknown },
  id: string,
): object {
  const n = typeof request.n === 'number' ? request.n : 1;
  const revised = request.model === 'dall-e-3' ? { revised_prompt: request.prompt } : {};
  const data = Array.from({ length: n }, (_, i) =>
    request.response_format === 'b64_json'
      ? { b64_json: PNG, ...revised }
      : { url: `https://images.fake-upstream.test/${id}-${i}.png`, ...revised },
  );
  return { created: Math.floor(Date.now() / 1000), data };
}

export function modelList(models: string[]): object {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
  };
}
