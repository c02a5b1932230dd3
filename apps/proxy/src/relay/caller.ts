import type { FastifyRequest } from 'fastify';
import {
  CacheKeys,
  nowSeconds,
  sha256Hex,
  type Database,
  type Payer,
  type User,
} from '@chat-api/db';
import { checkKey } from '../auth/check-key.js';
import { effectiveGroup } from '../auth/effective-group.js';
import { KeyHashes } from '../auth/key-hashes.js';
import { parseAuthorization } from '../auth/parse-authorization.js';
import { prepareToken, type PreparedToken } from '../auth/prepared-token.js';
import { RelayError } from '../auth/relay-error.js';

/** Who is calling: the API key's token, its owner, and the group that routes and prices. */
export interface Caller {
  token: PreparedToken;
  owner: User;
  group: string;
  pinnedChannelId: number | undefined;
  /** Whose quota the request spends: the token's, shared by its requests. */
  payer: Payer;
}

// Kept per process (the prepared form is not plain JSON); changes arrive as invalidations.
const CACHED_LOCALLY = { localOnly: true } as const;

const keyHashes = new KeyHashes();

/** Finds the request's API key and its owner in the cache (the database only on a miss). */
export async function identifyCaller(db: Database, request: FastifyRequest): Promise<Caller> {
  const credentials = parseAuthorization(request.headers.authorization ?? formatKey(request));
  if (!credentials) throw new RelayError('invalid_api_key');
  const remembered = keyHashes.get(credentials.key);
  const keyHash = remembered ?? sha256Hex(credentials.key);
  const token = await db.cache.getOrLoad(
    CacheKeys.token(keyHash),
    async () => {
      const found = await db.repos.tokens.findByKey(credentials.key);
      return found ? prepareToken(found, keyHash) : null;
    },
    CACHED_LOCALLY,
  );
  if (!token) throw new RelayError('invalid_api_key');
  if (remembered === undefined) keyHashes.remember(credentials.key, keyHash);
  const owner = await db.cache.getOrLoad(
    CacheKeys.user(token.userId),
    () => db.repos.users.findById(token.userId),
    CACHED_LOCALLY,
  );
  if (!owner) throw new RelayError('invalid_api_key');
  return {
    token,
    owner,
    group: effectiveGroup(token, owner),
    pinnedChannelId: credentials.pinnedChannelId,
    payer: token.payer,
  };
}

/**
 * Where clients of other formats put the key: Claude's `x-api-key`, Gemini's `x-goog-api-key`
 * or `?key=` (the URL is never logged).
 */
function formatKey(request: FastifyRequest): string | undefined {
  const headers = request.headers;
  const value =
    headers['x-api-key'] ??
    headers['x-goog-api-key'] ??
    (request.query as Record<string, unknown> | undefined)?.key;
  return typeof value === 'string' ? value : undefined;
}

/** Every token and owner check of DESIGN §5, once the request's model is known. */
export function assertAllowed(
  caller: Caller,
  request: FastifyRequest,
  model: string | undefined,
): void {
  const refusal = checkKey({
    token: caller.token,
    owner: caller.owner,
    // Resolving the client's address through the trusted proxies costs; only allow-lists need it.
    ip: caller.token.allowedIps ? request.ip : '',
    model,
    pinnedChannelId: caller.pinnedChannelId,
    now: nowSeconds(),
  });
  if (refusal) throw refusal;
}
