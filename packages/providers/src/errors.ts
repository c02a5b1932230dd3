/**
 * The channel's provider does not serve this request (Anthropic has no embeddings, rerank or
 * image edits): the relay tries a channel of another type, or answers 400.
 */
export class RequestNotSupportedError extends Error {
  override readonly name = 'RequestNotSupportedError';
  constructor(
    readonly channelType: string,
    /** The OpenAI path asked for, named in the message when given. */
    path?: string,
    /** What the client is told instead, when the request rather than the path is the matter. */
    reason?: string,
  ) {
    super(
      reason ??
        (path === undefined
          ? `requests to ${channelType} channels are not supported yet`
          : `${channelType} channels do not serve ${path.split('?')[0] ?? path}`),
    );
  }
}

/** The provider offers no balance endpoint we know how to read. */
export class BalanceNotSupportedError extends Error {
  override readonly name = 'BalanceNotSupportedError';
  constructor(readonly channelType: string) {
    super(`balance not supported for ${channelType}`);
  }
}

export class UnknownChannelTypeError extends Error {
  override readonly name = 'UnknownChannelTypeError';
  constructor(readonly channelType: string) {
    super(`unknown channel type ${channelType}`);
  }
}

/** The upstream failed or answered something unusable; the message never holds the key. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
