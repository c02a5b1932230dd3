import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint } from './endpoints.js';
import { multipartField, type ClientRequest } from '@chat-api/providers';
import { checkClientNumbers } from './client-numbers.js';
import { nativeClientRequest } from './native-request.js';
import { RelayBadRequest } from './relay-bad-request.js';

/**
 * Reads what routing and billing need of the client's body (model, stream); the bytes
 * themselves go upstream as they came unless the adapter must change a field.
 */
export function readClientRequest(
  raw: unknown,
  endpoint: Endpoint,
  headers: IncomingHttpHeaders,
): ClientRequest {
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    throw new RelayBadRequest('The request needs a body.', 'missing_body');
  }
  if (endpoint.body === 'multipart') {
    const model = multipartField(raw, 'model');
    if (!model) throw new RelayBadRequest('The form needs a `model` field.', 'missing_model');
    return {
      path: endpoint.path,
      contentType: String(headers['content-type']),
      raw,
      json: undefined,
      model,
      stream: false,
      clientWantsUsage: false,
    };
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
  checkClientNumbers(body, endpoint);
  if (endpoint.format) return nativeClientRequest(endpoint.format, raw, body, headers);
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    path: endpoint.path,
    contentType: 'application/json',
    raw,
    json: body,
    model: body.model,
    stream: endpoint.streams && body.stream === true,
    clientWantsUsage: options?.include_usage === true,
  };
}
