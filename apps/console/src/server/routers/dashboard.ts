import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { LogType, nowSeconds, Role } from '@chat-api/db';
import { daysEndingWith, foldIntoDays, localDayFormatter } from '../daily-usage.js';
import { router, userProcedure } from '../trpc.js';

/** Every real UTC offset, and every change of one, falls on a quarter hour. */
const BUCKET_SECONDS = 900;

export const dashboardRouter = router({
  /** Consume logs per local day (ctx.timeZone) and model: the caller's, or the site's (admins). */
  usage: userProcedure
    .input(
      z
        .object({
          days: z.number().int().min(1).max(365).default(7),
          all: z.boolean().default(false),
        })
        .prefault({}),
    )
    .query(async ({ ctx, input }) => {
      if (input.all && ctx.user.role < Role.admin) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'all: site-wide usage is for admins.' });
      }
      const now = nowSeconds();
      const dayOf = localDayFormatter(ctx.timeZone);
      const buckets = await ctx.db.repos.logs.usageBuckets({
        type: LogType.consume,
        ...(input.all ? {} : { userId: ctx.user.id }),
        // A spare day, so days longer than 24 h (DST) cannot cut off the first one.
        from: now - (input.days + 1) * 86_400,
        bucketSeconds: BUCKET_SECONDS,
      });
      return foldIntoDays(buckets, dayOf, daysEndingWith(dayOf(now), input.days));
    }),
});
