import type { BlockList } from 'node:net';
import type { Payer, Token } from '@chat-api/db';
import { ipAllowList } from './ip-allow-list.js';

/** A token as the proxy caches it: the record plus its allow-lists in the form checks use. */
export interface PreparedToken extends Token {
  /** undefined = every model is allowed. */
  readonly allowedModels: ReadonlySet<string> | undefined;
  /** undefined = every IP is allowed. */
  readonly allowedIps: BlockList | undefined;
  /**
   * Whose quota the key's requests spend. One object for every request: bills hold it while
   * they gather, and a copy per request would outlive the request only to be collected later.
   */
  readonly payer: Payer;
}

/** Built once per cache fill, so each request only looks up. */
export function prepareToken(token: Token, keyHash: string): PreparedToken {
  return {
    ...token,
    allowedModels:
      token.models.length > 0 ? new Set(token.models.map((model) => model.trim())) : undefined,
    allowedIps: token.subnets.length > 0 ? ipAllowList(token.subnets) : undefined,
    payer: {
      tokenId: token.id,
      keyHash,
      userId: token.userId,
      unlimitedQuota: token.unlimitedQuota,
    },
  };
}
