import type { Endpoint } from './endpoints.js';
import { RelayBadRequest } from './relay-bad-request.js';

/** What the relay needs to know of a client's request body; the bytes go upstream as they came. */
export interface RequestBody {
  raw: Buffer;
  /** Parsed JSON bodies; undefined for multipart uploads. */
  json: Record<string, unknown> | undefined;
  model: string;
  stream: boolean;
  /** The client asked for the usage chunk itself (stream_options.include_usage). */
  clientWantsUsage: boolean;
}

export function readRequestBody(raw: unknown, endpoint: Endpoint): RequestBody {
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    throw new RelayBadRequest('The request needs a body.', 'missing_body');
  }
  if (endpoint.body === 'multipart') {
    const model = multipartField(raw, 'model');
    if (!model) throw new RelayBadRequest('The form needs a `model` field.', 'missing_model');
    return { raw, json: undefined, model, stream: false, clientWantsUsage: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new RelayBadRequest(
      `The request body is not valid JSON (${(error as Error).message}).`,
      'invalid_json',
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RelayBadRequest('The request body must be a JSON object.', 'invalid_json');
  }
  const body = json as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model === '') {
    throw new RelayBadRequest('You must provide a model parameter.', 'missing_model');
  }
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    raw,
    json: body,
    model: body.model,
    stream: endpoint.streams && body.stream === true,
    clientWantsUsage: options?.include_usage === true,
  };
}

/** Where a text field's value sits in a multipart body: after its part headers, before `\r\n--`. */
function multipartValueRange(body: Buffer, name: string): [number, number] | undefined {
  const at = body.indexOf(Buffer.from(`name="${name}"`));
  if (at === -1) return undefined;
  const headersEnd = body.indexOf('\r\n\r\n', at);
  if (headersEnd === -1) return undefined;
  const valueEnd = body.indexOf('\r\n--', headersEnd + 4);
  return valueEnd === -1 ? undefined : [headersEnd + 4, valueEnd];
}

/**
 * A text field of a multipart/form-data body, without parsing the file parts: the relay only
 * needs the model to route; the upload is forwarded byte for byte.
 */
export function multipartField(body: Buffer, name: string): string | undefined {
  const range = multipartValueRange(body, name);
  return range && body.subarray(range[0], range[1]).toString('utf8').trim();
}

/** The upload with one text field's value replaced (a mapped model); the file bytes untouched. */
export function replaceMultipartField(body: Buffer, name: string, value: string): Buffer {
  const range = multipartValueRange(body, name);
  if (!range) return body;
  return Buffer.concat([body.subarray(0, range[0]), Buffer.from(value), body.subarray(range[1])]);
}
