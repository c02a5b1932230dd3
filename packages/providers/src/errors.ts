/** A registered type has no request builder yet (Anthropic, Gemini until their adapters land). */
export class RequestNotSupportedError extends Error {
  override readonly name = 'RequestNotSupportedError';
  constructor(readonly channelType: string) {
    super(`requests to ${channelType} channels are not supported yet`);
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
