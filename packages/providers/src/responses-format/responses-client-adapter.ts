import type { ClientRequest } from '../adapter.js';
import { hubClientAdapters } from '../hub-client-adapter.js';
import { responseOfChat } from './responses-answer.js';
import type { EchoedRequest } from './responses-object.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';

/** A Responses client on a channel that does not speak the Responses API, through the hub. */
export const responsesClientAdapter = hubClientAdapters({
  answerOf: (chat, request) => responseOfChat(chat, echoOf(request)),
  streamOf: (inner, request) => new ResponsesStreamTap(inner, echoOf(request)),
});

/** The client's own request, which the Response echoes. */
function echoOf(request: ClientRequest): EchoedRequest {
  return { model: request.model, body: request.native?.json ?? {} };
}
