import { RequestNotSupportedError } from '../errors.js';
import { isRecord, numberOf, recordsOf, type JsonObject } from '../json-values.js';

/**
 * Gemini embeds text only: an input given as token ids (OpenAI's tokenizer's, meaningless to
 * Gemini) is refused before the call, so the relay can try a channel of another type or answer
 * 400 `unsupported_endpoint`.
 */
export class TokenInputNotSupportedError extends RequestNotSupportedError {
  constructor(channelType: string) {
    super(channelType);
    this.message = `${channelType} channels embed text only, not token arrays`;
  }
}

/** The texts of an embeddings `input`: a string or an array of strings. */
function inputTexts(input: unknown, channelType: string): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) {
    return input as string[];
  }
  throw new TokenInputNotSupportedError(channelType);
}

/** The body of `batchEmbedContents` for an OpenAI embeddings request: one request per input. */
export function toBatchEmbedRequest(
  json: JsonObject,
  model: string,
  channelType: string,
): JsonObject {
  const dimensions = numberOf(json.dimensions);
  const requests = inputTexts(json.input, channelType).map((text) => ({
    model: `models/${model}`,
    content: { parts: [{ text }] },
    ...(dimensions !== undefined ? { outputDimensionality: dimensions } : {}),
  }));
  return { requests };
}

/**
 * Gemini's `{embeddings:[{values}]}` as OpenAI's embeddings list, vectors as floats or, for
 * `encoding_format: "base64"`, as base64 of little-endian float32 as OpenAI sends them. Gemini
 * reports no usage: the answer carries none and the relay counts the input itself.
 */
export function toOpenAIEmbeddings(
  response: unknown,
  request: JsonObject,
  model: string,
): JsonObject {
  const embeddings = isRecord(response) ? recordsOf(response.embeddings) : [];
  const base64 = request.encoding_format === 'base64';
  const data = embeddings.map((embedding, index) => {
    const values = Array.isArray(embedding.values)
      ? embedding.values.map((value) => (typeof value === 'number' ? value : 0))
      : [];
    return {
      object: 'embedding',
      index,
      embedding: base64 ? float32Base64(values) : values,
    };
  });
  return { object: 'list', data, model };
}

function float32Base64(values: number[]): string {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}
