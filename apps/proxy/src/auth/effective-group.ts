import type { Token, User } from '@chat-api/db';

/** The group routing uses: the token's own when it has one, else its owner's. */
export function effectiveGroup(token: Pick<Token, 'group'>, owner: Pick<User, 'group'>): string {
  return token.group !== '' ? token.group : owner.group;
}
