import { readFileSync } from 'node:fs';
import type { ClientRequest } from '../adapter.js';

/** A reader of one provider's recorded samples, from fixtures/<provider>. */
export function sampleReader(provider: string): (name: string) => Buffer {
  const dir = new URL(`../../fixtures/${provider}/`, import.meta.url);
  return (name) => readFileSync(new URL(name, dir));
}

/** A client's chat request for `model` as the relay hands it to a reader. */
export function chatClientRequest(
  model: string,
  options: Partial<ClientRequest> = {},
): ClientRequest {
  const json = options.json ?? { model, messages: [] };
  return {
    path: '/v1/chat/completions',
    model,
    raw: Buffer.from(JSON.stringify(json)),
    json,
    contentType: 'application/json',
    stream: false,
    clientWantsUsage: false,
    ...options,
  };
}

/** Answers differ only in their creation time, which the samples hold as 0. */
export function withoutTime(text: string): string {
  return text.replace(/"created":\d+/g, '"created":0');
}
