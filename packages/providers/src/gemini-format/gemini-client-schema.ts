import { isRecord, type JsonObject } from '../json-values.js';
import { invalid } from './gemini-request-error.js';

/** Nesting past this is refused: a hostile schema must not exhaust the stack. */
const MAX_DEPTH = 32;

/** Gemini's Schema writes these counts as int64, which JSON carries as strings ("5"). */
const COUNTS = new Set([
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
]);

/** OpenAPI keywords JSON Schema has no use for. */
const DROPPED = new Set(['nullable', 'propertyOrdering', 'example']);

/**
 * A Gemini `Schema` (OpenAPI 3.0 style: upper-case types such as "OBJECT", `nullable`, counts as
 * strings) as the JSON Schema OpenAI's tools and structured outputs take: lower-case types,
 * `nullable` as a `"null"` type (or choice), counts as numbers. Keywords Gemini does not know are kept as the
 * client wrote them.
 */
export function jsonSchemaOfGemini(schema: unknown, field: string, depth = 0): JsonObject {
  if (!isRecord(schema)) invalid(field, 'must be a schema object');
  if (depth > MAX_DEPTH) invalid(field, `nests deeper than ${MAX_DEPTH} levels`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    const at = `${field}.${key}`;
    if (DROPPED.has(key)) continue;
    if (key === 'type') {
      const type = schemaType(value, at);
      if (type !== undefined) out.type = type;
    } else if (key === 'properties') {
      if (!isRecord(value)) invalid(at, 'must be an object of schemas');
      const properties: JsonObject = {};
      for (const [name, property] of Object.entries(value)) {
        properties[name] = jsonSchemaOfGemini(property, `${at}.${name}`, depth + 1);
      }
      out.properties = properties;
    } else if (key === 'items') {
      // One schema for every item; the AI SDK may send a tuple's list of schemas.
      out.items = Array.isArray(value)
        ? value.map((item, i) => jsonSchemaOfGemini(item, `${at}[${i}]`, depth + 1))
        : jsonSchemaOfGemini(value, at, depth + 1);
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      if (!Array.isArray(value)) invalid(at, 'must be an array of schemas');
      out[key] = value.map((item, i) => jsonSchemaOfGemini(item, `${at}[${i}]`, depth + 1));
    } else if (COUNTS.has(key)) {
      out[key] = count(value, at);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string' && out.type !== 'null') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return out;
}

function schemaType(type: unknown, field: string): string | undefined {
  if (typeof type !== 'string') invalid(field, 'must be a type name such as "OBJECT"');
  const name = type.toLowerCase();
  return name === 'type_unspecified' ? undefined : name;
}

function count(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    invalid(field, 'must be a whole number');
  }
  return n;
}
