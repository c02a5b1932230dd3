import type { ProviderAdapter } from './adapter.js';
import { anthropicAdapter } from './anthropic/anthropic-adapter.js';
import { bedrockAdapter } from './bedrock/bedrock-adapter.js';
import { RequestNotSupportedError, UnknownChannelTypeError } from './errors.js';
import { geminiAdapter } from './gemini/gemini-adapter.js';
import { openAIAdapter } from './openai-adapter.js';
import { findChannelType } from './registry.js';
import { vertexAdapter } from './vertex/vertex-adapter.js';

/** The adapter that speaks to a channel type's upstream. */
export function adapterFor(type: string): ProviderAdapter {
  const spec = findChannelType(type);
  if (!spec) throw new UnknownChannelTypeError(type);
  switch (spec.wire) {
    case 'openai':
    case 'azure':
      return openAIAdapter;
    case 'anthropic':
      return anthropicAdapter;
    case 'gemini':
      return geminiAdapter;
    case 'bedrock':
      return bedrockAdapter;
    case 'vertex':
      return vertexAdapter;
    default:
      throw new RequestNotSupportedError(type);
  }
}
