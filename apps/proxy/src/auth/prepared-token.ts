import type { BlockList } from 'node:net';
import type { Token } from '@chat-api/db';
import { ipAllowList } from './ip-allow-list.js';

/** A token as the proxy caches it: the record plus its allow-lists in the form checks use. */
export interface PreparedToken extends Token {
  /** undefined = every model is allowed. */
  readonly allowedModels: ReadonlySet<string> | undefined;
  /** undefined = every IP is allowed. */
  readonly allowedIps: BlockList | undefined;
}

/** Built once per cache fill, so each request only looks up. */
export function prepareToken(token: Token): PreparedToken {
  return {
    ...token,
    allowedModels:
      token.models.length > 0 ? new Set(token.models.map((model) => model.trim())) : undefined,
    allowedIps: token.subnets.length > 0 ? ipAllowList(token.subnets) : undefined,
  };
}
