import { hubClientAdapters } from '../hub-client-adapter.js';
import { claudeMessageOfChat } from './claude-answer.js';
import { ClaudeStreamTap } from './claude-stream-tap.js';

/** A Claude client on a channel that does not speak Claude's format, through the hub. */
export const claudeClientAdapter = hubClientAdapters({
  answerOf: (chat, request) => claudeMessageOfChat(chat, request.model),
  streamOf: (inner, request) => new ClaudeStreamTap(inner, request.model),
});
