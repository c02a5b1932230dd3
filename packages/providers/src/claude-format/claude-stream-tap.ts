import type { StreamTap } from '../adapter.js';
import { ChunkRewritingTap } from '../openai-sse/chunk-rewriting-tap.js';
import { ClaudeEventWriter } from './claude-events.js';

/** A Claude client's stream: the OpenAI chunks of any tap written again as Claude's events. */
export class ClaudeStreamTap extends ChunkRewritingTap {
  constructor(inner: StreamTap, model: string) {
    super(inner, new ClaudeEventWriter({ model }));
  }
}
