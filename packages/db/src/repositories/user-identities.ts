import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import type { IdentityProvider, UserIdentityModel } from '../models/user-identity.js';
import { randomAlphanumeric } from '../secrets.js';
import { nowSeconds } from '../time.js';
import { mapUniqueViolation } from '../unique-violation.js';

/** A third-party account bound to a user, as the console shows it. */
export interface UserIdentity {
  id: number;
  userId: number;
  provider: IdentityProvider;
  issuer: string;
  subject: string;
  login: string;
  email: string;
  createdTime: number;
}

/** Who the provider says signed in: the key (provider, issuer, subject) and what is shown. */
export interface ProviderAccount {
  provider: IdentityProvider;
  issuer: string;
  subject: string;
  login: string;
  email: string;
}

/** A user made by a first third-party sign-in; they have no password until an admin sets one. */
export interface NewIdentityUser {
  username: string;
  displayName: string;
  /** '' when the provider vouches for none. */
  email: string;
  quota: number;
}

function toIdentity(row: UserIdentityModel): UserIdentity {
  return {
    id: row.id,
    userId: row.userId,
    provider: row.provider,
    issuer: row.issuer,
    subject: row.subject,
    login: row.login,
    email: row.email,
    createdTime: Number(row.createdTime),
  };
}

/** Short enough for the columns: a longer login or email is only shown, so it is cut. */
function shown(account: ProviderAccount) {
  return { login: account.login.slice(0, 255), email: account.email.slice(0, 255) };
}

export function userIdentitiesRepository(sequelize: Sequelize, { UserIdentity, User }: Models) {
  return {
    async find(account: Pick<ProviderAccount, 'provider' | 'issuer' | 'subject'>) {
      const row = await UserIdentity.findOne({
        where: { provider: account.provider, issuer: account.issuer, subject: account.subject },
      });
      return row ? toIdentity(row) : null;
    },

    async listForUser(userId: number): Promise<UserIdentity[]> {
      const rows = await UserIdentity.findAll({ where: { userId }, order: [['id', 'ASC']] });
      return rows.map(toIdentity);
    },

    /**
     * Binds the account to the user. Throws UniqueViolationError when the account is bound to
     * someone (also when another request bound it a moment ago) or the user has one of that
     * provider already.
     */
    async bind(userId: number, account: ProviderAccount): Promise<UserIdentity> {
      const row = await mapUniqueViolation('user_identities', () =>
        UserIdentity.create({
          userId,
          provider: account.provider,
          issuer: account.issuer,
          subject: account.subject,
          ...shown(account),
          createdTime: nowSeconds(),
        }),
      );
      return toIdentity(row);
    },

    /**
     * Creates the user and binds the account in one transaction, so a lost race (the same
     * account signing in twice at once) leaves no user without a way in. Throws
     * UniqueViolationError when the username is taken or the account was bound meanwhile.
     * The password is empty: no password matches it (see hasPassword). The email is left out when
     * another account has it.
     */
    async createUser(user: NewIdentityUser, account: ProviderAccount): Promise<number> {
      return mapUniqueViolation('users', () =>
        sequelize.transaction(async (transaction) => {
          // An address belongs to one account (sign-up and password reset rely on it).
          const emailTaken =
            user.email !== '' &&
            (await User.count({
              where: sequelize.where(
                sequelize.fn('lower', sequelize.col('email')),
                user.email.toLowerCase(),
              ),
              transaction,
            })) > 0;
          const created = await User.create(
            {
              username: user.username,
              password: '',
              displayName: user.displayName,
              email: emailTaken ? '' : user.email,
              quota: user.quota,
              affCode: randomAlphanumeric(8),
              createdTime: nowSeconds(),
            },
            { transaction },
          );
          await UserIdentity.create(
            {
              userId: created.id,
              provider: account.provider,
              issuer: account.issuer,
              subject: account.subject,
              ...shown(account),
              createdTime: nowSeconds(),
            },
            { transaction },
          );
          return created.id;
        }),
      );
    },

    /** True when the user's identity of that provider was bound and is now removed. */
    async unbind(userId: number, provider: IdentityProvider): Promise<boolean> {
      return (await UserIdentity.destroy({ where: { userId, provider } })) > 0;
    },

    /** Whether a password can sign the user in: users made by third-party sign-in have none. */
    async hasPassword(userId: number): Promise<boolean> {
      const row = await User.findByPk(userId, { attributes: ['password'] });
      return Boolean(row?.password);
    },
  };
}

export type UserIdentitiesRepository = ReturnType<typeof userIdentitiesRepository>;
