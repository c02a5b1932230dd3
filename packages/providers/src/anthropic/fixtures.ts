import { readFileSync } from 'node:fs';
import type { ClientRequest } from '../adapter.js';

const DIR = new URL('../../fixtures/anthropic/', import.meta.url);

/** A sample's bytes, from fixtures/anthropic. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, DIR));
}

/** A client's chat request as the relay hands it to the reader. */
export function clientRequest(options: Partial<ClientRequest> = {}): ClientRequest {
  const json = options.json ?? { model: 'claude-sonnet-4-5', messages: [] };
  return {
    path: '/v1/chat/completions',
    model: 'claude-sonnet-4-5',
    raw: Buffer.from(JSON.stringify(json)),
    json,
    contentType: 'application/json',
    stream: false,
    clientWantsUsage: false,
    ...options,
  };
}

/** Answers differ only in their creation time, which the fixtures hold as 0. */
export function withoutTime(text: string): string {
  return text.replace(/"created":\d+/g, '"created":0');
}
