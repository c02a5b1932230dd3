import type { ClientRequest } from '../adapter.js';
import { chatClientRequest, sampleReader } from '../testing/samples.js';

export { withoutTime } from '../testing/samples.js';

/** A sample's bytes, from fixtures/anthropic. */
export const fixture = sampleReader('anthropic');

/** A client's request (chat unless told otherwise) as the relay hands it to the reader. */
export function clientRequest(options: Partial<ClientRequest> = {}): ClientRequest {
  return chatClientRequest('claude-sonnet-4-5', options);
}
