/**
 * Per-key limits (DESIGN §5b), on a key and as its owner's defaults for keys that set none.
 * Whole numbers; 0 = no limit.
 */
export interface RequestLimitFields {
  /** Requests per minute. */
  rpmLimit: number;
  /** Prompt and completion tokens per minute. */
  tpmLimit: number;
  /** Requests in flight at once. */
  concurrencyLimit: number;
}

export function requestLimitsOf(row: RequestLimitFields): RequestLimitFields {
  return {
    rpmLimit: Number(row.rpmLimit),
    tpmLimit: Number(row.tpmLimit),
    concurrencyLimit: Number(row.concurrencyLimit),
  };
}
