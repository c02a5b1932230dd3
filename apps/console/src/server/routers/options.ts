import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { isOptionKey, isSecretOption, optionValueError } from '@chat-api/db';
import { rootProcedure, router } from '../trpc.js';

/** What option.list shows instead of a stored credential; sending it back keeps the old value. */
export const MASK = '********';

export const optionRouter = router({
  /** Every option, defaults included, credentials masked. */
  list: rootProcedure.query(async ({ ctx }) => {
    const options = await ctx.db.repos.options.effective();
    return Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        isSecretOption(key) && value !== '' ? MASK : value,
      ]),
    );
  }),

  /** Validates every value first, then writes all or none; every node sees it within 1 s. */
  update: rootProcedure
    .input(z.object({ values: z.record(z.string().max(64), z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(input.values)) {
        if (!isOptionKey(key)) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: `${key}: unknown option` });
        }
        if (isSecretOption(key) && value === MASK) continue;
        const error = optionValueError(key, value);
        if (error) throw new TRPCError({ code: 'BAD_REQUEST', message: `${key}: ${error}` });
        values[key] = value;
      }
      await ctx.db.repos.options.setMany(values);
      return { ok: true };
    }),
});
