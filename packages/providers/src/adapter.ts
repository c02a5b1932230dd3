import type { UpstreamChannel } from './channel.js';
import type { SseError } from './openai-sse/error-event.js';
import type { UpstreamUsage } from './openai-sse/openai-usage.js';

/** A client's request as the relay read it; adapters turn it into the provider's request. */
export interface ClientRequest {
  /** The OpenAI path the client called, e.g. `/v1/chat/completions`. */
  path: string;
  /** The requested model (billing and logs keep this one). */
  model: string;
  /** The body's bytes as they came. */
  raw: Buffer;
  /** The parsed JSON body; undefined for multipart uploads. */
  json: Record<string, unknown> | undefined;
  contentType: string;
  stream: boolean;
  /** The client asked for stream usage itself (stream_options.include_usage). */
  clientWantsUsage: boolean;
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** The adapter asked the upstream for stream usage the client did not ask for. */
  injectedUsage: boolean;
}

/** Watches a streamed answer on its way to the client, rewriting it where the adapter must. */
export interface StreamTap {
  /** The bytes to send the client for this upstream chunk. */
  push(chunk: Buffer): Buffer;
  end(): Buffer;
  /** Closing bytes that make the client's library raise this error. */
  endWithError(error: SseError): Buffer;
  readonly usage: UpstreamUsage | undefined;
  /** The generated text so far, when asked for: billing counts it if no usage arrives. */
  readonly completionText: string | undefined;
}

/**
 * What the relay needs of a provider, so the generic pipe (auth, routing, failover, streaming,
 * billing) never asks which provider it talks to: the OpenAI family passes bodies through;
 * others translate to and from OpenAI's wire format here.
 */
export interface ProviderAdapter {
  buildRequest(channel: UpstreamChannel, request: ClientRequest): UpstreamRequest;
  /** The usage in a whole (non-streamed) answer. */
  usageOf(body: string): UpstreamUsage | undefined;
  streamTap(options: { stripUsageChunk: boolean; collectText: boolean }): StreamTap;
  /** The generated text of a whole answer, for counting when it reports no usage. */
  completionTextOf(body: string): string;
  /** An upstream error body as the client sees it: OpenAI-shaped, without the channel's key. */
  errorBody(channel: UpstreamChannel, status: number, body: string): string;
}
