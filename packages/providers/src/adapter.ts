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
  /**
   * The text fields the relay reads of a multipart upload (the model, the billed `n`, `size`,
   * `quality`), each given once; the upload itself goes upstream as it came.
   */
  form?: Readonly<Record<string, string>>;
  contentType: string;
  stream: boolean;
  /** The client asked for stream usage itself (stream_options.include_usage). */
  clientWantsUsage: boolean;
  /**
   * The client's own request when it spoke another format than OpenAI's; the fields above are
   * then the hub's OpenAI chat request converted from it. An upstream that speaks the client's
   * format gets this one as it came.
   */
  native?: NativeRequest;
}

/** Formats a client may speak besides OpenAI's. */
export type NativeFormat = 'claude' | 'responses' | 'gemini';

export interface NativeRequest {
  format: NativeFormat;
  /** The body's bytes as they came. */
  raw: Buffer;
  json: Record<string, unknown>;
  /**
   * The id of an earlier answer this request continues (a Response's previous_response_id): the
   * channel that gave it is tried first.
   */
  continues?: string;
  /**
   * Why the client's request has no hub conversion, when it asks for what only its format's own
   * API has (a stored response, a built-in tool): only an upstream speaking the format serves it,
   * and the hub request (a rough one) then only sizes the hold.
   */
  nativeOnly?: string;
  /**
   * The format's own headers the upstream should get too (Claude's anthropic-version and
   * anthropic-beta).
   */
  headers: Record<string, string>;
}

export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** The adapter asked the upstream for stream usage the client did not ask for. */
  injectedUsage: boolean;
  /**
   * What reads this request's answer, where the adapter speaks more than one format (Vertex AI
   * serves Claude and Gemini models); otherwise the adapter itself.
   */
  reader?: AnswerReader;
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
  /**
   * The upstream reported an error inside its stream (Anthropic's `error` event), which the tap
   * has already turned into the client's error event: the answer is cut short though the
   * connection ended cleanly.
   */
  readonly failed?: boolean;
  /** The stream's content type for the client when it differs from the upstream's. */
  readonly contentType?: string;
  /** See AnswerReader.continuationIdOf: the id as the stream named it. */
  readonly continuationId?: string;
}

export interface StreamTapOptions {
  /** Remove the usage chunk: the gateway asked for usage, the client did not. */
  stripUsageChunk: boolean;
  /** Keep the generated text, for counting when no usage arrives. */
  collectText: boolean;
  /** The request the stream answers (its model names the converted chunks). */
  request: ClientRequest;
}

/** An upstream's refusal as the client gets it, and as the relay judges it. */
export interface ClientFailure {
  /**
   * The status for the client and for the relay's failover and auto-disable rules (DESIGN §5):
   * the upstream's own, or the one OpenAI gives the same failure where the provider differs
   * (a spent credit balance is 402, as OpenAI's billing errors, not Anthropic's 400).
   */
  status: number;
  /** OpenAI-shaped `{"error":{message,type,param,code}}`, without the channel's key or address. */
  body: string;
}

/** How a provider's answers are read and turned into OpenAI's format for the client. */
export interface AnswerReader {
  /** The usage in a whole (non-streamed) upstream answer. */
  usageOf(body: string): UpstreamUsage | undefined;
  /**
   * A whole upstream answer in OpenAI's format, as the client gets it; the OpenAI family hands
   * back the upstream's bytes untouched.
   */
  clientAnswer(body: Buffer, request: ClientRequest): Buffer;
  streamTap(options: StreamTapOptions): StreamTap;
  /** The generated text of a whole upstream answer, for counting when it reports no usage. */
  completionTextOf(body: string): string;
  /** An upstream's error answer as the client gets it. */
  clientError(channel: UpstreamChannel, status: number, body: string): ClientFailure;
  /**
   * The id a later request may continue this answer from (a Response the upstream stored), so
   * that the relay sends the follow-up to the same channel; only where upstreams keep state.
   */
  continuationIdOf?(body: string, request: ClientRequest): string | undefined;
}

/**
 * What the relay needs of a provider, so the generic pipe (auth, routing, failover, streaming,
 * billing) never asks which provider it talks to: the OpenAI family passes bodies through;
 * others translate to and from OpenAI's wire format here.
 */
export interface ProviderAdapter extends AnswerReader {
  /**
   * The upstream call for a client's request; a promise only where credentials must be fetched
   * or signed first (Vertex AI, Bedrock). Throws RequestNotSupportedError for an endpoint the
   * provider does not offer.
   */
  buildRequest(
    channel: UpstreamChannel,
    request: ClientRequest,
  ): UpstreamRequest | Promise<UpstreamRequest>;
}
