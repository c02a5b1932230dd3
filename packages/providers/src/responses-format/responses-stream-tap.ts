import type { StreamTap } from '../adapter.js';
import { ChunkRewritingTap } from '../openai-sse/chunk-rewriting-tap.js';
import { ResponsesEventWriter } from './responses-events.js';
import type { EchoedRequest } from './responses-object.js';

/** A Responses client's stream: the OpenAI chunks of any tap written again as Responses events. */
export class ResponsesStreamTap extends ChunkRewritingTap {
  constructor(inner: StreamTap, request: EchoedRequest) {
    super(inner, new ResponsesEventWriter(request));
  }
}
