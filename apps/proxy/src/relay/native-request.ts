import type { IncomingHttpHeaders } from 'node:http';
import {
  chatRequestOfClaude,
  ClaudeRequestError,
  type ClientRequest,
  type NativeFormat,
} from '@chat-api/providers';
import { RelayBadRequest } from './relay-bad-request.js';

/** The hub's path: every format converts to an OpenAI chat request. */
const HUB_PATH = '/v1/chat/completions';

/** Claude's own headers, passed on to an Anthropic upstream with the client's body. */
const CLAUDE_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

/**
 * A request in a client format other than OpenAI's, as the relay routes, holds and bills it:
 * the hub's OpenAI chat request converted from the client's body, which is kept as it came
 * for an upstream that speaks the same format.
 */
export function nativeClientRequest(
  format: NativeFormat,
  raw: Buffer,
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
): ClientRequest {
  let chat: Record<string, unknown>;
  try {
    chat = chatRequestOfClaude(body);
  } catch (error) {
    if (error instanceof ClaudeRequestError) {
      throw new RelayBadRequest(error.message, 'invalid_request_error');
    }
    throw error;
  }
  const passed: Record<string, string> = {};
  for (const name of CLAUDE_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') passed[name] = value;
  }
  return {
    path: HUB_PATH,
    contentType: 'application/json',
    raw: Buffer.from(JSON.stringify(chat)),
    json: chat,
    model: String(body.model),
    stream: chat.stream === true,
    // The hub asks for stream usage itself: the client's format reports it at the end.
    clientWantsUsage: true,
    native: { format, raw, json: body, headers: passed },
  };
}
