import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { plainText } from './plain-text.js';
import {
  DEFAULT_ROOT,
  Role,
  UniqueViolationError,
  UserStatus,
  type OptionKey,
  type User,
} from '@chat-api/db';
import { checkAuthAttemptLimit } from '../limits.js';
import { clearSessionCookie, setSessionCookie, SESSION_TTL_SECONDS } from '../session-cookie.js';
import { publicProcedure, router, signedInProcedure, userProcedure } from '../trpc.js';
import { emailDomainAllowed } from '../account/email-domains.js';
import { requireTurnstile } from '../account/turnstile.js';
import type { Context } from '../context.js';
import { emailAddress, emailAuthProcedures, turnstileToken } from './auth-email.js';

const password = z.string().min(8).max(64);
/** Letters of any script, digits, and _ . - */
export const usernameSchema = z
  .string()
  .regex(/^[\p{L}\p{N}_.-]{2,32}$/u, '2–32 letters, digits, _ . or -');

/** What auth.me shows about the caller (DESIGN §7). */
function me(user: User) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    group: user.group,
    quota: user.quota,
    usedQuota: user.usedQuota,
    requestCount: user.requestCount,
    mustChangePassword: user.mustChangePassword,
    /** The user's invitation code for auth.register. */
    affCode: user.affCode,
  };
}

export const authRouter = router({
  login: publicProcedure
    .input(
      z.object({
        username: plainText(z.string().min(1).max(64)),
        password: z.string().min(1).max(128),
        turnstileToken,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await checkAuthAttemptLimit(ctx.db, ctx.req.ip, input.username, ctx.limits);
      const options = await ctx.db.repos.options.effective();
      await requireTurnstile(options, input.turnstileToken, ctx.req.ip, ctx.turnstileVerifyUrl);
      const user = await ctx.db.repos.users.verifyCredentials(input.username, input.password);
      // Root can always sign in, or a switched-off password login would lock everyone out.
      if (user && options.PasswordLoginEnabled !== 'true' && user.role < Role.root) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Password sign-in is turned off.' });
      }
      if (!user)
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong username or password.' });
      if (user.status !== UserStatus.enabled) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'This account is disabled.' });
      }
      const secret = await ctx.db.repos.sessions.create(user.id, SESSION_TTL_SECONDS);
      setSessionCookie(ctx.req, ctx.res, secret);
      return me(user);
    }),

  /**
   * Self-service sign-up as the options allow, with an optional invitation code; with
   * EmailVerificationEnabled, for an address proven by the code auth.sendVerificationCode sent.
   */
  register: publicProcedure
    .input(
      z.object({
        username: usernameSchema,
        password,
        displayName: plainText(z.string().max(64)).optional(),
        affCode: plainText(z.string().max(32)).optional(),
        email: emailAddress.optional(),
        verificationCode: z.string().trim().max(16).optional(),
        turnstileToken,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await checkAuthAttemptLimit(ctx.db, ctx.req.ip, input.username, ctx.limits);
      const options = await ctx.db.repos.options.effective();
      if (options.RegisterEnabled !== 'true' || options.PasswordRegisterEnabled !== 'true') {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Registration is closed.' });
      }
      await requireTurnstile(options, input.turnstileToken, ctx.req.ip, ctx.turnstileVerifyUrl);
      const { turnstileToken: _, verificationCode, ...account } = input;
      if (options.EmailVerificationEnabled === 'true') {
        await takeVerifiedEmail(ctx, options, account.email, verificationCode, account.username);
      } else {
        // Only a proven address is kept: reset links are sent to it.
        delete account.email;
      }
      try {
        const user = await ctx.db.repos.users.register(account, {
          forNewUser: Number(options.QuotaForNewUser),
          forInvitee: Number(options.QuotaForInvitee),
          forInviter: Number(options.QuotaForInviter),
        });
        return { id: user.id };
      } catch (error) {
        if (error instanceof UniqueViolationError) {
          throw new TRPCError({ code: 'CONFLICT', message: 'username: already taken.' });
        }
        throw error;
      }
    }),

  logout: signedInProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionSecret) await ctx.db.repos.sessions.delete(ctx.sessionSecret);
    clearSessionCookie(ctx.res);
    return { ok: true };
  }),

  me: signedInProcedure.query(({ ctx }) => me(ctx.user)),

  /** Ends every other session of the user; the one making the change stays signed in. */
  changePassword: signedInProcedure
    .input(z.object({ oldPassword: z.string().min(1).max(128), newPassword: password }))
    .mutation(async ({ ctx, input }) => {
      const { users, sessions } = ctx.db.repos;
      if (!(await users.verifyPassword(ctx.user.id, input.oldPassword))) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'oldPassword: does not match the current password.',
        });
      }
      if (input.newPassword === DEFAULT_ROOT.password || input.newPassword === input.oldPassword) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'newPassword: choose a new password.',
        });
      }
      await users.changePassword(ctx.user.id, input.newPassword);
      await sessions.deleteForUser(ctx.user.id, ctx.sessionSecret);
      return { ok: true };
    }),

  ...emailAuthProcedures,

  /** A bearer token for scripts; issuing one revokes the previous. */
  createAccessToken: userProcedure.mutation(async ({ ctx }) => ({
    accessToken: await ctx.db.repos.users.rotateAccessToken(ctx.user.id),
  })),
});

/**
 * Checks and takes the sign-up code for `email` (single use), after what would make the
 * sign-up fail anyway, so that a taken username does not waste the code.
 */
async function takeVerifiedEmail(
  ctx: Context,
  options: Record<OptionKey, string>,
  email: string | undefined,
  code: string | undefined,
  username: string,
): Promise<void> {
  if (!email || !code) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'verificationCode: enter the code emailed to you.',
    });
  }
  if (!emailDomainAllowed(options, email)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'email: addresses at this domain cannot sign up here.',
    });
  }
  const { users, authCodes } = ctx.db.repos;
  if (await users.findByEmail(email)) {
    throw new TRPCError({ code: 'CONFLICT', message: 'email: already in use.' });
  }
  if (await users.findByUsername(username)) {
    throw new TRPCError({ code: 'CONFLICT', message: 'username: already taken.' });
  }
  const check = await authCodes.takeCode('register', email, code);
  if (check !== 'valid') {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message:
        check === 'wrong'
          ? 'verificationCode: wrong code.'
          : 'verificationCode: no valid code for this address; ask for a new one.',
    });
  }
}
