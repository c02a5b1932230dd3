import type { IncomingHttpHeaders } from 'node:http';
import type { Endpoint } from './endpoints.js';
import type { ClientRequest, NativeFormat } from '@chat-api/providers';
import { checkClientNumbers, checkFormNumbers } from './client-numbers.js';
import { nativeClientRequest } from './native-request.js';
import { RelayBadRequest } from './relay-bad-request.js';
import { uploadForm } from './upload-form.js';

/**
 * Reads what routing and billing need of the client's body (model, stream); the bytes
 * themselves go upstream as they came unless the adapter must change a field. Gemini clients
 * name the model in the path (`pathModel`), not the body.
 */
export function readClientRequest(
  raw: unknown,
  endpoint: Endpoint,
  headers: IncomingHttpHeaders,
  pathModel?: string,
): ClientRequest {
  if (!Buffer.isBuffer(raw) || raw.length === 0) {
    throw new RelayBadRequest('The request needs a body.', 'missing_body');
  }
  if (endpoint.body === 'multipart') {
    const contentType = String(headers['content-type']);
    const form = uploadForm(raw, contentType);
    const model = form.model;
    if (!model) throw new RelayBadRequest('The form needs a `model` field.', 'missing_model');
    checkFormNumbers(form, endpoint);
    return {
      path: endpoint.path,
      contentType,
      raw,
      json: undefined,
      form,
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
  const model = pathModel ?? body.model;
  if (typeof model !== 'string' || model === '') {
    throw new RelayBadRequest('You must provide a model parameter.', 'missing_model');
  }
  if (isNative(endpoint)) return nativeClientRequest(endpoint, { raw, body, model, headers });
  checkClientNumbers(body, endpoint);
  endpoint.checkBody?.(body);
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    path: endpoint.path,
    contentType: 'application/json',
    raw,
    json: body,
    model,
    stream: endpoint.streams && body.stream === true,
    clientWantsUsage: options?.include_usage === true,
  };
}

function isNative(endpoint: Endpoint): endpoint is Endpoint & { format: NativeFormat } {
  return endpoint.format !== undefined;
}
