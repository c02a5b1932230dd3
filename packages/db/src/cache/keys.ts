/** Cache keys shared by every node; a change to the row invalidates its key everywhere. */
export const CacheKeys = {
  /** A token record by the sha256 of its key (the proxy's auth lookup). */
  token: (keyHash: string) => `token:${keyHash}`,
  /** A user's status, role, group and quota as the proxy checks them. */
  user: (id: number) => `user:${id}`,
  /** The routing table: enabled channels and their abilities, loaded as one snapshot. */
  channels: 'channels',
  /** Every option, loaded as one map. */
  options: 'options',
  /** The channel that answered with this id, which a follow-up may continue (a stored Response). */
  continuation: (answerId: string) => `continuation:${answerId}`,
} as const;

/** The cache keys that are also quota-hold accounts (a limited key, a user). */
export function isQuotaAccount(key: string): boolean {
  return key.startsWith('token:') || key.startsWith('user:');
}
