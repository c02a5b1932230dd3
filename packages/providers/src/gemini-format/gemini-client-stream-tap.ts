import type { StreamTap } from '../adapter.js';
import { ChunkRewritingTap } from '../openai-sse/chunk-rewriting-tap.js';
import { GeminiEventWriter } from './gemini-client-events.js';

/** A Gemini client's stream: the OpenAI chunks of any tap written again as Gemini's events. */
export class GeminiClientStreamTap extends ChunkRewritingTap {
  constructor(inner: StreamTap, model: string) {
    super(inner, new GeminiEventWriter({ model }));
  }
}
