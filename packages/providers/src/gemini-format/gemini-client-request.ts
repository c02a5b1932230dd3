import type { JsonObject } from '../json-values.js';
import { chatMessagesOfContents, systemMessages } from './gemini-client-contents.js';
import { generationSettings } from './gemini-client-generation.js';
import { toolSettings } from './gemini-client-tools.js';
import { absent, invalid, nativeOnly } from './gemini-request-error.js';

export { GeminiRequestError } from './gemini-request-error.js';

/**
 * A Gemini GenerateContentRequest body as the hub's OpenAI chat completions body, for an upstream
 * that does not speak Gemini's API. The model and whether to stream come from the URL. The body is
 * the client's and untrusted: what cannot be read throws GeminiRequestError naming the field.
 * What only Google serves (cachedContent, built-in tools, files kept by Google) is refused with
 * `nativeOnly` set; safetySettings and settings chat has no counterpart for are left out.
 */
export function chatRequestOfGemini(body: JsonObject, model: string, stream: boolean): JsonObject {
  if (model.trim() === '') invalid('model', 'must be a model name');
  if (!absent(body.cachedContent)) {
    nativeOnly('cachedContent', 'a context cached at Google can only be used on Gemini upstreams');
  }
  const conversation = chatMessagesOfContents(body.contents);
  if (conversation.length === 0) invalid('contents', 'must hold something to answer');
  const chat: JsonObject = {
    model,
    messages: [...systemMessages(body.systemInstruction), ...conversation],
    ...generationSettings(body.generationConfig),
    ...toolSettings(body),
  };
  if (stream) {
    chat.stream = true;
    // Gemini streams end with the usage, which OpenAI streams report only when asked.
    chat.stream_options = { include_usage: true };
  }
  return chat;
}
