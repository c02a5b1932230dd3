import { describe, expect, it } from 'vitest';
import { jsonSchemaOfGemini } from './gemini-client-schema.js';
import { GeminiRequestError } from './gemini-request-error.js';

describe('jsonSchemaOfGemini', () => {
  it('lower-cases types, turns nullable into a null type or choice, and counts into numbers', () => {
    expect(
      jsonSchemaOfGemini(
        {
          type: 'OBJECT',
          properties: {
            id: { type: 'STRING', format: 'uuid', nullable: true },
            either: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }], nullable: true },
            tags: { type: 'ARRAY', items: { type: 'STRING' }, minItems: '1', maxItems: 3 },
            free: { type: 'TYPE_UNSPECIFIED', description: 'anything' },
          },
          required: ['id'],
          propertyOrdering: ['id', 'tags'],
          example: { id: 'x' },
        },
        'parameters',
      ),
    ).toEqual({
      type: 'object',
      properties: {
        id: { type: ['string', 'null'], format: 'uuid' },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        free: { description: 'anything' },
      },
      required: ['id'],
    });
  });

  it("keeps what the AI SDK sends in JSON Schema's own words", () => {
    const schema = {
      type: 'object',
      properties: {
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
        one: { oneOf: [{ type: 'string' }], allOf: [{ minLength: 1 }] },
      },
      additionalProperties: false,
    };
    expect(jsonSchemaOfGemini(schema, 'parameters')).toEqual(schema);
  });

  it('names the field at fault', () => {
    const refusal = (schema: unknown) => {
      try {
        jsonSchemaOfGemini(schema, 'parameters');
      } catch (error) {
        return error instanceof GeminiRequestError ? error.message : error;
      }
    };
    expect(refusal('OBJECT')).toBe('parameters: must be a schema object');
    expect(refusal({ properties: [] })).toBe('parameters.properties: must be an object of schemas');
    expect(refusal({ anyOf: {} })).toBe('parameters.anyOf: must be an array of schemas');
    expect(refusal({ items: { minLength: '-1' } })).toBe(
      'parameters.items.minLength: must be a whole number',
    );
    expect(refusal({ properties: { a: { maxItems: '99999999999999999999' } } })).toBe(
      'parameters.properties.a.maxItems: must be a whole number',
    );
  });
});
