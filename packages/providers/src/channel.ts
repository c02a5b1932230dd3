/** What the providers need of a stored channel (the db's channel row fits as is). */
export interface UpstreamChannel {
  type: string;
  /** The upstream credential. Never put into an error message, a log or a response. */
  key: string;
  /** The provider's origin without a trailing /v1; '' = the type's default. */
  baseUrl: string;
  config: Record<string, unknown>;
  /** Requested model → the model name the upstream knows. */
  modelMapping?: Record<string, string>;
}

/** The model name sent upstream for a requested model. */
export function upstreamModel(channel: UpstreamChannel, model: string): string {
  const mapped = channel.modelMapping?.[model];
  return mapped ? mapped : model;
}
