import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { IDENTITY_PROVIDERS, Role } from '@chat-api/db';
import { enabledProviders } from '../oauth/settings.js';
import { publicProcedure, router, userProcedure } from '../trpc.js';

/** Third-party sign-in: which methods are on, and the caller's own bound accounts. */
export const identityRouter = router({
  /** For the sign-in pages: the methods root turned on, with their button labels. */
  providers: publicProcedure.query(async ({ ctx }) =>
    enabledProviders(await ctx.db.repos.options.effective()),
  ),

  list: userProcedure.query(async ({ ctx }) => {
    const identities = await ctx.db.repos.userIdentities.listForUser(ctx.user.id);
    return identities.map(({ provider, login, email, createdTime }) => ({
      provider,
      login,
      email,
      createdTime,
    }));
  }),

  /**
   * Refused when it would leave the account with no way in: another bound account whose method
   * is on, or a password that can sign in (users made by third-party sign-in have none until an
   * administrator sets one, and with password sign-in off only root's counts).
   */
  unbind: userProcedure
    .input(z.object({ provider: z.enum(IDENTITY_PROVIDERS) }))
    .mutation(async ({ ctx, input }) => {
      const { userIdentities } = ctx.db.repos;
      const identities = await userIdentities.listForUser(ctx.user.id);
      if (!identities.some((identity) => identity.provider === input.provider)) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such sign-in method is bound.' });
      }
      const options = await ctx.db.repos.options.effective();
      const on = new Set(enabledProviders(options).map((method) => method.provider));
      const otherWays = identities.filter(
        (identity) => identity.provider !== input.provider && on.has(identity.provider),
      ).length;
      const passwordWorks =
        (options.PasswordLoginEnabled === 'true' || ctx.user.role >= Role.root) &&
        (await userIdentities.hasPassword(ctx.user.id));
      if (otherWays === 0 && !passwordWorks) {
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message:
            'This is your only way to sign in. Bind another method, or ask an administrator to set a password, first.',
        });
      }
      await userIdentities.unbind(ctx.user.id, input.provider);
      return { ok: true };
    }),
});
