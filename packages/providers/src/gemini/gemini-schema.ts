import { isRecord, type JsonObject } from '../json-values.js';

/**
 * The keywords of Gemini's `Schema` (a subset of OpenAPI 3.0). Anything else in a client's JSON
 * Schema (`$schema`, `additionalProperties`, `$ref`, `strict`…) is refused by the API with a 400,
 * so it is dropped rather than sent.
 */
const KEPT = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/** Nesting past this is cut: a hostile schema must not exhaust the stack. */
const MAX_DEPTH = 32;

/** A client's JSON Schema as Gemini accepts it (function parameters, structured output). */
export function toGeminiSchema(schema: unknown, depth = 0): JsonObject | undefined {
  if (!isRecord(schema) || depth > MAX_DEPTH) return undefined;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === 'properties') {
      if (!isRecord(value)) continue;
      const properties: JsonObject = {};
      for (const [name, property] of Object.entries(value)) {
        properties[name] = toGeminiSchema(property, depth + 1) ?? {};
      }
      out.properties = properties;
    } else if (key === 'items') {
      const items = toGeminiSchema(value, depth + 1);
      if (items) out.items = items;
    } else if (key === 'anyOf') {
      if (!Array.isArray(value)) continue;
      out.anyOf = value.map((item) => toGeminiSchema(item, depth + 1) ?? {});
    } else if (key === 'type') {
      Object.assign(out, schemaType(value));
    } else {
      out[key] = value;
    }
  }
  // JSON Schema's `const` is one allowed value: an enum of one (Gemini enums are strings).
  if (typeof schema.const === 'string') out.enum = [schema.const];
  return out;
}

/** JSON Schema allows `"type": ["string", "null"]`; Gemini takes one type and `nullable`. */
function schemaType(type: unknown): JsonObject {
  if (typeof type === 'string') return { type };
  if (!Array.isArray(type)) return {};
  const types = type.filter((t): t is string => typeof t === 'string');
  const nonNull = types.filter((t) => t !== 'null');
  const out: JsonObject = {};
  if (nonNull[0] !== undefined) out.type = nonNull[0];
  if (nonNull.length < types.length) out.nullable = true;
  return out;
}
