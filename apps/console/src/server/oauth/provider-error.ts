/** The provider refused or gave an answer that cannot be trusted; the reason is for the log only. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}
