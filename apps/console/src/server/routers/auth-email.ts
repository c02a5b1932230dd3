import { randomInt } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { DEFAULT_ROOT, randomAlphanumeric, UserStatus, type OptionKey } from '@chat-api/db';
import {
  canSendMail,
  resetMail,
  sendAccountMail,
  verificationMail,
} from '../account/account-mail.js';
import { emailDomainAllowed } from '../account/email-domains.js';
import { requireTurnstile } from '../account/turnstile.js';
import type { Context } from '../context.js';
import { publicProcedure } from '../trpc.js';

export const CODE_MINUTES = 10;
export const RESET_LINK_MINUTES = 30;
/** One mail per address per minute, and a few an hour from one client. */
const PER_ADDRESS_SECONDS = 60;
const PER_IP_PER_HOUR = 10;

/** An address as stored: trimmed, lower-cased, at most the column's 128 characters. */
export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .max(128)
  .pipe(z.email({ message: 'not an email address' }));
export const turnstileToken = z.string().max(4096).optional();
const newPassword = z.string().min(8).max(64);

/** Counts a mail to `email` from this client; throws once either has had its share. */
async function checkMailLimit(ctx: Context, purpose: string, email: string): Promise<void> {
  const buckets: [string, number, number][] = [
    [`mail-address:${purpose}:${email}`, 1, PER_ADDRESS_SECONDS],
    [`mail-ip:${ctx.req.ip}`, PER_IP_PER_HOUR, 3600],
  ];
  for (const [key, limit, seconds] of buckets) {
    const result = await ctx.db.cache.rateLimiter.hit(key, limit, seconds);
    if (!result.allowed) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many emails; try again in ${result.retryAfterSeconds} s.`,
      });
    }
  }
}

function refuseWithoutMail(): never {
  throw new TRPCError({
    code: 'PRECONDITION_FAILED',
    message: 'This site cannot send email; ask an administrator.',
  });
}

/** Emails a reset link to the enabled account with this address, if there is one. */
async function mailResetLink(
  ctx: Context,
  options: Record<OptionKey, string>,
  email: string,
): Promise<void> {
  const user = await ctx.db.repos.users.findByEmail(email);
  if (!user || user.status !== UserStatus.enabled) return;
  const secret = randomAlphanumeric(43);
  await ctx.db.repos.authCodes.issue('reset', email, secret, RESET_LINK_MINUTES * 60, user.id);
  const link = `${ctx.publicUrl}/reset-password?token=${secret}`;
  const mail = resetMail(options.SystemName, user.username, link, RESET_LINK_MINUTES);
  await sendAccountMail(options, email, mail.subject, mail.text);
}

/**
 * Sign-up codes and password reset by email (One API's EmailVerificationEnabled and reset
 * link). Part of the `auth` router.
 */
export const emailAuthProcedures = {
  /** Emails a six-digit sign-up code to an address no account uses yet. */
  sendVerificationCode: publicProcedure
    .input(z.object({ email: emailAddress, turnstileToken }))
    .mutation(async ({ ctx, input }) => {
      const options = await ctx.db.repos.options.effective();
      if (options.RegisterEnabled !== 'true' || options.PasswordRegisterEnabled !== 'true') {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Registration is closed.' });
      }
      if (!canSendMail(options)) refuseWithoutMail();
      if (!emailDomainAllowed(options, input.email)) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'email: addresses at this domain cannot sign up here.',
        });
      }
      await requireTurnstile(options, input.turnstileToken, ctx.req.ip, ctx.turnstileVerifyUrl);
      if (await ctx.db.repos.users.findByEmail(input.email)) {
        throw new TRPCError({ code: 'CONFLICT', message: 'email: already in use.' });
      }
      await checkMailLimit(ctx, 'register', input.email);
      const code = String(randomInt(1_000_000)).padStart(6, '0');
      await ctx.db.repos.authCodes.issue('register', input.email, code, CODE_MINUTES * 60);
      const mail = verificationMail(options.SystemName, code, CODE_MINUTES);
      try {
        await sendAccountMail(options, input.email, mail.subject, mail.text);
      } catch (error) {
        ctx.req.log.warn({ err: error }, 'sign-up code not sent');
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message: 'The code could not be sent; try again later.',
        });
      }
      return { ok: true, expiresInMinutes: CODE_MINUTES };
    }),

  /**
   * Emails a reset link when an enabled account has this address. The answer is the same
   * whether or not one does, and the mail leaves after it, so neither tells who signed up.
   */
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailAddress, turnstileToken }))
    .mutation(async ({ ctx, input }) => {
      const options = await ctx.db.repos.options.effective();
      if (!canSendMail(options) || !ctx.publicUrl) refuseWithoutMail();
      await requireTurnstile(options, input.turnstileToken, ctx.req.ip, ctx.turnstileVerifyUrl);
      await checkMailLimit(ctx, 'reset', input.email);
      // After the answer: it takes as long whether or not an account has the address.
      void mailResetLink(ctx, options, input.email).catch((error: unknown) =>
        ctx.req.log.warn({ err: error }, 'password reset mail not sent'),
      );
      return { ok: true };
    }),

  /** Sets the password from an emailed link and signs the account out everywhere. */
  resetPassword: publicProcedure
    .input(z.object({ token: z.string().min(1).max(128), newPassword }))
    .mutation(async ({ ctx, input }) => {
      // Per client: a link cannot be guessed, but nobody needs many tries a minute.
      const attempt = await ctx.db.cache.rateLimiter.hit(
        `auth-ip:${ctx.req.ip}`,
        ctx.limits.authAttemptsPerMinute,
        60,
      );
      if (!attempt.allowed) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many attempts; try again in ${attempt.retryAfterSeconds} s.`,
        });
      }
      if (input.newPassword === DEFAULT_ROOT.password) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'newPassword: choose a new password.',
        });
      }
      const { users, sessions, authCodes } = ctx.db.repos;
      const userId = await authCodes.takeLink('reset', input.token);
      if (userId === null) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'This reset link is invalid, used or expired; ask for a new one.',
        });
      }
      // The access token goes too (changePassword), and every session, this browser's included.
      await users.changePassword(userId, input.newPassword);
      await sessions.deleteForUser(userId);
      await authCodes.deleteForUser(userId);
      return { ok: true };
    }),
};
