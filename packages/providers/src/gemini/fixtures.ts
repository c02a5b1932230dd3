import { readFileSync } from 'node:fs';
import type { ClientRequest } from '../adapter.js';

const DIR = new URL('../../fixtures/gemini/', import.meta.url);

/** A recorded sample's bytes, from fixtures/gemini. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, DIR));
}

/** A client's chat (or embeddings) request as the relay hands it to the reader. */
export function clientRequest(options: Partial<ClientRequest> = {}): ClientRequest {
  const json = options.json ?? { model: 'gpt-4o-mini', messages: [] };
  return {
    path: '/v1/chat/completions',
    model: 'gpt-4o-mini',
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
