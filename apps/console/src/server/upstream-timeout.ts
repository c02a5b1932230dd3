/** Long enough for a slow upstream, short enough for an operator waiting on a button. */
export const UPSTREAM_TIMEOUT_MS = 20_000;
