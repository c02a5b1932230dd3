import { isRecord, stringOf } from '../json-values.js';

/**
 * OpenAI's `response_format` as a system instruction. The Messages API has no JSON mode every
 * Claude model and every host (Vertex AI, Bedrock) accepts (structured outputs are a beta behind
 * a header, on recent models only), so the format is asked for in words, with the schema when
 * the client gave one. Undefined for text or anything unknown.
 */
export function responseFormatInstruction(format: unknown): string | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') {
    return 'Respond with one valid JSON object and nothing else: no prose, no code fences.';
  }
  if (format.type === 'json_schema') {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    const name = stringOf(spec.name);
    const schema = JSON.stringify(spec.schema ?? {});
    return (
      'Respond with one valid JSON object and nothing else (no prose, no code fences), ' +
      `conforming to this JSON Schema${name ? ` named "${name}"` : ''}: ${schema}`
    );
  }
  return undefined;
}
