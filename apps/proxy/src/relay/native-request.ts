import type { IncomingHttpHeaders } from 'node:http';
import {
  chatRequestOfClaude,
  chatRequestOfGemini,
  chatRequestOfResponses,
  ClaudeRequestError,
  GeminiRequestError,
  ResponsesRequestError,
  type ClientRequest,
  type NativeFormat,
  type NativeRequest,
} from '@chat-api/providers';
import { checkClientNumbers } from './client-numbers.js';
import type { Endpoint } from './endpoints.js';
import { RelayBadRequest } from './relay-bad-request.js';

/** The hub's path: every format converts to an OpenAI chat request. */
const HUB_PATH = '/v1/chat/completions';

/** Claude's own headers, passed on to an Anthropic upstream with the client's body. */
const CLAUDE_HEADERS = ['anthropic-version', 'anthropic-beta'] as const;

export interface NativeBody {
  /** The body's bytes as they came. */
  raw: Buffer;
  body: Record<string, unknown>;
  /** From the body, or from the path for Gemini. */
  model: string;
  headers: IncomingHttpHeaders;
}

/**
 * A request in a client format other than OpenAI's, as the relay routes, holds and bills it:
 * the hub's OpenAI chat request converted from the client's body, which is kept as it came
 * for an upstream that speaks the same format.
 */
export function nativeClientRequest(
  endpoint: Endpoint & { format: NativeFormat },
  { raw, body, model, headers }: NativeBody,
): ClientRequest {
  const hub = hubRequest(endpoint, body, model);
  const chat = hub.chat ?? sizingRequest(endpoint, raw, body, model);
  // The converted numbers reach the hold and the bill like an OpenAI client's would.
  checkClientNumbers(chat, endpoint);
  const native: NativeRequest = {
    format: endpoint.format,
    raw,
    json: body,
    headers: endpoint.format === 'claude' ? claudeHeaders(headers) : {},
  };
  if (hub.nativeOnly !== undefined) native.nativeOnly = hub.nativeOnly;
  const continues = continuationOf(endpoint.format, body);
  if (continues !== undefined) native.continues = continues;
  return {
    path: HUB_PATH,
    contentType: 'application/json',
    raw: Buffer.from(JSON.stringify(chat)),
    json: chat,
    model,
    stream: chat.stream === true,
    // The hub asks for stream usage itself: every client format reports it at the end.
    clientWantsUsage: true,
    native,
  };
}

/** The hub request, or why only an upstream speaking the client's format can serve it. */
function hubRequest(
  endpoint: Endpoint & { format: NativeFormat },
  body: Record<string, unknown>,
  model: string,
):
  | { chat: Record<string, unknown>; nativeOnly?: undefined }
  | { chat?: undefined; nativeOnly: string } {
  try {
    switch (endpoint.format) {
      case 'claude':
        return { chat: chatRequestOfClaude(body) };
      case 'responses':
        return { chat: chatRequestOfResponses(body) };
      case 'gemini':
        return { chat: chatRequestOfGemini(body, model, endpoint.streams) };
    }
  } catch (error) {
    if (
      (error instanceof ResponsesRequestError || error instanceof GeminiRequestError) &&
      error.nativeOnly
    ) {
      return { nativeOnly: error.message };
    }
    if (
      error instanceof ClaudeRequestError ||
      error instanceof ResponsesRequestError ||
      error instanceof GeminiRequestError
    ) {
      throw new RelayBadRequest(error.message, 'invalid_request_error');
    }
    throw error;
  }
}

/**
 * A stand-in hub request for a body only the format's own API serves: the whole body as the
 * prompt (an over-count, never an under-count) and the client's output limit, for the hold.
 */
function sizingRequest(
  endpoint: Endpoint & { format: NativeFormat },
  raw: Buffer,
  body: Record<string, unknown>,
  model: string,
): Record<string, unknown> {
  const chat: Record<string, unknown> = {
    model,
    messages: [{ role: 'user', content: raw.toString('utf8') }],
  };
  const config = body.generationConfig as Record<string, unknown> | undefined;
  const limit = body.max_output_tokens ?? body.max_tokens ?? config?.maxOutputTokens;
  if (limit !== undefined) chat.max_tokens = limit;
  if (endpoint.format === 'gemini' ? endpoint.streams : body.stream === true) chat.stream = true;
  return chat;
}

/** Longer ids are no upstream's: not worth a note. */
const MAX_CONTINUATION_ID = 256;

/** The stored answer a Responses request continues, for routing it to the same channel. */
function continuationOf(format: NativeFormat, body: Record<string, unknown>): string | undefined {
  const id = format === 'responses' ? body.previous_response_id : undefined;
  return typeof id === 'string' && id !== '' && id.length <= MAX_CONTINUATION_ID ? id : undefined;
}

function claudeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of CLAUDE_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') passed[name] = value;
  }
  return passed;
}
