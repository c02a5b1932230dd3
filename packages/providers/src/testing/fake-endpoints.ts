import { createHash } from 'node:crypto';
import type { FakeUsage } from './fake-answer.js';
import { fakeInputs, fakeInputTokens, fakeWords } from './fake-tokens.js';
import type { RecordedForm } from './multipart.js';

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

/**
 * An image edit of a multipart upload: as `images` for its fields, or what OpenAI says when the
 * upload has no image (`image`, or `image[]` for several) or no prompt.
 */
export function imageEdits(form: RecordedForm, id: string): { body: object } | { missing: string } {
  if (!form.files.some((file) => file.field === 'image' || file.field === 'image[]')) {
    return { missing: 'image' };
  }
  const { prompt, n, model, response_format: format } = form.fields;
  if (typeof prompt !== 'string' || prompt === '') return { missing: 'prompt' };
  const request = {
    model: typeof model === 'string' ? model : undefined,
    prompt,
    n: typeof n === 'string' ? Number(n) : 1,
    response_format: format,
  };
  return { body: images(request, id) };
}

/**
 * A rerank answer in Cohere's and Jina's shape: each document (a string or `{text}`) scored by
 * the share of the query's words it holds, best first, cut to `top_n`, its text along when
 * `return_documents` is true; usage as Jina reports it, `total_tokens` alone (see fake-tokens.ts).
 */
export function rerank(
  request: { model?: string; query?: unknown; documents?: unknown; top_n?: unknown },
  options: { id: string; withUsage: boolean; returnDocuments: boolean },
): { body: object; usage: { total_tokens: number } } {
  const query = typeof request.query === 'string' ? request.query : '';
  const asked = new Set(fakeWords(query.toLowerCase()));
  const texts = (Array.isArray(request.documents) ? request.documents : []).map(
    (document: { text?: unknown } | string | null) =>
      typeof document === 'string' ? document : String(document?.text ?? ''),
  );
  const scored = texts.map((text, index) => {
    const words = new Set(fakeWords(text.toLowerCase()));
    const shared = [...asked].filter((word) => words.has(word)).length;
    const result = { index, relevance_score: asked.size ? shared / asked.size : 0 };
    return options.returnDocuments ? { ...result, document: { text } } : result;
  });
  // Best first; equal scores keep the documents' order.
  scored.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const topN = typeof request.top_n === 'number' ? request.top_n : scored.length;
  const words = texts.reduce((sum, text) => sum + fakeWords(text).length, fakeWords(query).length);
  const usage = { total_tokens: words };
  const body = {
    id: options.id,
    model: request.model ?? 'unknown',
    results: scored.slice(0, topN),
    ...(options.withUsage ? { usage } : {}),
  };
  return { body, usage };
}

export function modelList(models: string[]): object {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
  };
}
