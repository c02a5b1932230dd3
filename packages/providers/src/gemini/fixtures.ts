import type { ClientRequest } from '../adapter.js';
import { chatClientRequest, sampleReader } from '../testing/samples.js';

export { withoutTime } from '../testing/samples.js';

/** A sample's bytes, from fixtures/gemini. */
export const fixture = sampleReader('gemini');

/** A client's request (chat unless told otherwise) as the relay hands it to the reader. */
export function clientRequest(options: Partial<ClientRequest> = {}): ClientRequest {
  return chatClientRequest('gpt-4o-mini', options);
}
