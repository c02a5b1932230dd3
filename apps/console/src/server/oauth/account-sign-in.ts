import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  UniqueViolationError,
  UserStatus,
  type Database,
  type ProviderAccount,
  type User,
} from '@chat-api/db';
import { SESSION_TTL_SECONDS, setSessionCookie } from '../session-cookie.js';
import type { SignedInAccount } from './provider-account.js';
import { usernameCandidates } from './username.js';

/** Why a third-party sign-in or binding did not go through; the console page names each. */
export type OAuthErrorCode =
  | 'state'
  | 'disabled'
  | 'denied'
  | 'provider'
  | 'registration_closed'
  | 'account_disabled'
  | 'taken'
  | 'already_bound'
  | 'signed_out';

export class OAuthFailure extends Error {
  constructor(readonly code: OAuthErrorCode) {
    super(code);
    this.name = 'OAuthFailure';
  }
}

const USERNAME_ATTEMPTS = 5;

/** A session as auth.login makes it. */
async function signIn(db: Database, request: FastifyRequest, reply: FastifyReply, user: User) {
  if (user.status !== UserStatus.enabled) throw new OAuthFailure('account_disabled');
  const secret = await db.repos.sessions.create(user.id, SESSION_TTL_SECONDS);
  setSessionCookie(request, reply, secret);
}

/** A new user for an account never seen: as auth.register makes one, with no password. */
async function register(db: Database, account: SignedInAccount): Promise<User | null> {
  const options = await db.repos.options.effective();
  if (options.RegisterEnabled !== 'true') throw new OAuthFailure('registration_closed');
  const { users, userIdentities } = db.repos;
  for (const username of usernameCandidates(account.login, USERNAME_ATTEMPTS)) {
    try {
      const id = await userIdentities.createUser(
        {
          username,
          displayName: (account.name || account.login).slice(0, 64),
          // users.email holds 128 characters; a longer address is left out rather than cut.
          email: account.email.length <= 128 ? account.email : '',
          quota: Number(options.QuotaForNewUser),
        },
        account,
      );
      return users.findById(id);
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error;
      // The same account signing in twice at once: the other request made the user.
      const bound = await userIdentities.find(account);
      if (bound) return users.findById(bound.userId);
    }
  }
  return null;
}

/** login mode: the account's user, made first when the account is new; then a session. */
export async function signInWithAccount(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  account: SignedInAccount,
): Promise<void> {
  const known = await db.repos.userIdentities.find(account);
  const user = known ? await db.repos.users.findById(known.userId) : await register(db, account);
  if (!user) throw new Error(`no user for ${account.provider} account ${account.subject}`);
  await signIn(db, request, reply, user);
}

/** bind mode: attaches the account to the signed-in user, never taking it from another user. */
export async function bindAccount(db: Database, userId: number, account: ProviderAccount) {
  const { userIdentities } = db.repos;
  const known = await userIdentities.find(account);
  if (known) {
    if (known.userId === userId) return;
    throw new OAuthFailure('taken');
  }
  const own = await userIdentities.listForUser(userId);
  if (own.some((identity) => identity.provider === account.provider)) {
    throw new OAuthFailure('already_bound');
  }
  try {
    await userIdentities.bind(userId, account);
  } catch (error) {
    if (!(error instanceof UniqueViolationError)) throw error;
    // Bound by another request meanwhile: to this user (fine) or to someone else.
    const now = await userIdentities.find(account);
    throw new OAuthFailure(now?.userId === userId ? 'already_bound' : 'taken');
  }
}
