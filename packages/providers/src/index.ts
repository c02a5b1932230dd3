// The relay's side of providers; the console's extras (zod-checked) are in './admin'.
export {
  channelTypeNames,
  channelTypes,
  findChannelType,
  isChannelType,
  type ChannelType,
  type ChannelTypeSpec,
  type WireFormat,
} from './registry.js';
export { upstreamModel, type UpstreamChannel } from './channel.js';
export {
  buildUpstreamRequest,
  type UpstreamRequestOptions,
  type UpstreamTarget,
} from './upstream-request.js';
export { testChannel, type ChannelTestOptions, type ChannelTestResult } from './test-channel.js';
export {
  BalanceNotSupportedError,
  RequestNotSupportedError,
  UnknownChannelTypeError,
  UpstreamError,
} from './errors.js';
export { callUpstream, upstreamAgent, type UpstreamCall, type UpstreamReply } from './http.js';
export { scrubChannel, scrubSecret } from './scrub.js';
export { upstreamErrorMessage } from './upstream-error.js';
export {
  requestUpstream,
  UpstreamUnreachable,
  type UpstreamCallHandle,
  type UpstreamResponse,
  type UpstreamStreamCall,
} from './upstream-stream.js';
export type {
  AnswerReader,
  ClientFailure,
  ClientRequest,
  NativeFormat,
  NativeRequest,
  ProviderAdapter,
  StreamTap,
  StreamTapOptions,
  UpstreamRequest,
} from './adapter.js';
export { openAIErrorBody } from './openai-error.js';
export { adapterFor } from './adapter-for.js';
export { adapterForClient } from './client-adapter.js';
export { chatRequestOfClaude, ClaudeRequestError } from './claude-format/claude-request.js';
export { claudeErrorBody, claudeErrorOfOpenAI } from './claude-format/claude-error.js';
export {
  chatRequestOfResponses,
  ResponsesRequestError,
} from './responses-format/responses-request.js';
export { chatRequestOfGemini, GeminiRequestError } from './gemini-format/gemini-client-request.js';
export { geminiErrorBody, geminiErrorOfOpenAI } from './gemini-format/gemini-client-error.js';
export { openAIAdapter } from './openai-adapter.js';
export { anthropicAdapter } from './anthropic/anthropic-adapter.js';
export { anthropicReader } from './anthropic/anthropic-reader.js';
export { toMessagesRequest } from './anthropic/messages-request.js';
export { MessageEventConverter } from './anthropic/message-events.js';
export { bedrockAdapter } from './bedrock/bedrock-adapter.js';
export { vertexAdapter } from './vertex/vertex-adapter.js';
export { geminiAdapter } from './gemini/gemini-adapter.js';
export { geminiReader } from './gemini/gemini-reader.js';
export { toGenerateContentRequest } from './gemini/generate-content-request.js';
export { multipartTextFields, replaceMultipartField } from './multipart-fields.js';
export type { SseError } from './openai-sse/error-event.js';
export type { UpstreamUsage } from './openai-sse/openai-usage.js';
