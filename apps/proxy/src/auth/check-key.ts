import { effectiveTokenStatus } from '@chat-api/billing';
import { Role, TokenStatus, UserStatus, type User } from '@chat-api/db';
import { ipAllowed } from './ip-allow-list.js';
import type { PreparedToken } from './prepared-token.js';
import { RelayError } from './relay-error.js';

export type KeyOwner = Pick<User, 'status' | 'quota' | 'role' | 'group'>;

export interface KeyCheck {
  token: PreparedToken;
  owner: KeyOwner;
  /** The client's address as the server sees it (IPv4, IPv6 or IPv4-mapped IPv6). */
  ip: string;
  /** The requested model; undefined for requests without one (e.g. GET /v1/models). */
  model: string | undefined;
  /** From `sk-KEY-<channelId>`. */
  pinnedChannelId?: number | undefined;
  /** Unix seconds. */
  now: number;
}

/**
 * The first reason to refuse the request, or null to let it through. Order: token disabled,
 * expired, exhausted; owner disabled, owner out of quota; IP; model; channel pin by a non-admin.
 */
export function checkKey({
  token,
  owner,
  ip,
  model,
  pinnedChannelId,
  now,
}: KeyCheck): RelayError | null {
  // Also refuses a key stored as expired/exhausted until its owner enables it again.
  switch (effectiveTokenStatus(token, now)) {
    case TokenStatus.enabled:
      break;
    case TokenStatus.expired:
      return new RelayError('token_expired');
    case TokenStatus.exhausted:
      return new RelayError('token_exhausted');
    default:
      return new RelayError('token_disabled');
  }
  if (owner.status !== UserStatus.enabled) return new RelayError('user_disabled');
  if (owner.quota <= 0) return new RelayError('insufficient_user_quota');
  if (token.allowedIps && !ipAllowed(token.allowedIps, ip)) {
    return new RelayError('ip_not_allowed', { ip });
  }
  if (model !== undefined && token.allowedModels && !token.allowedModels.has(model)) {
    return new RelayError('model_not_allowed', { model });
  }
  if (pinnedChannelId !== undefined && owner.role < Role.admin) {
    return new RelayError('channel_pin_not_allowed');
  }
  return null;
}
