import { hubClientAdapters } from '../hub-client-adapter.js';
import { generateContentOfChat } from './gemini-client-answer.js';
import { GeminiClientStreamTap } from './gemini-client-stream-tap.js';

/** A Gemini client on a channel that does not speak Gemini's API, through the hub. */
export const geminiClientAdapter = hubClientAdapters({
  answerOf: (chat, request) => generateContentOfChat(chat, request.model),
  streamOf: (inner, request) => new GeminiClientStreamTap(inner, request.model),
});
