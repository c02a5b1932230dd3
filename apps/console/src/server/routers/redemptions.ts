import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { plainText } from './plain-text.js';
import { listRequest, optionalPagingInput } from './paging.js';
import { RedemptionStatus, type Redemption } from '@chat-api/db';
import { adminProcedure, router, userProcedure } from '../trpc.js';

const id = z.number().int().positive();

/** What lists show of a code: its last characters, never the code or its hash. */
function view(redemption: Redemption) {
  return {
    id: redemption.id,
    name: redemption.name,
    keyHint: redemption.keyHint,
    status: redemption.status,
    quota: redemption.quota,
    createdTime: redemption.createdTime,
    redeemedTime: redemption.redeemedTime,
    usedUserId: redemption.usedUserId,
    // The admin who created it.
    userId: redemption.userId,
  };
}

const notFound = (codeId: number) =>
  new TRPCError({ code: 'NOT_FOUND', message: `No redemption code ${codeId}.` });

export const redemptionRouter = router({
  /** The codes are in this answer and nowhere else; the database keeps only their hashes. */
  create: adminProcedure
    .input(
      z.object({
        name: plainText(z.string().trim().min(1).max(64)),
        quota: z.number().int().positive(),
        count: z.number().int().min(1).max(100),
      }),
    )
    .mutation(async ({ ctx, input }) => ({
      keys: await ctx.db.repos.redemptions.createBatch({ creatorId: ctx.user.id, ...input }),
    })),

  list: adminProcedure.input(optionalPagingInput).query(async ({ ctx, input = {} }) => {
    const { items, total } = await ctx.db.repos.redemptions.list({
      ...listRequest(input),
    });
    return { items: items.map(view), total };
  }),

  /** Disables or re-enables a code that has not been used. */
  update: adminProcedure
    .input(
      z.object({
        id,
        status: z.union([
          z.literal(RedemptionStatus.enabled),
          z.literal(RedemptionStatus.disabled),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { redemptions } = ctx.db.repos;
      const existing = await redemptions.get(input.id);
      if (!existing) throw notFound(input.id);
      // setStatus changes only unused codes, also when the code is redeemed meanwhile.
      if (!(await redemptions.setStatus(input.id, input.status))) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'status: the code is already used.' });
      }
      return view({ ...existing, status: input.status });
    }),

  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    if (!(await ctx.db.repos.redemptions.delete(input.id))) throw notFound(input.id);
    return { ok: true };
  }),

  /** Single use even under concurrency: of several redeemers of one code, exactly one wins. */
  redeem: userProcedure
    .input(z.object({ key: plainText(z.string().trim().min(1).max(128)) }))
    .mutation(async ({ ctx, input }) => {
      const quota = await ctx.db.repos.redemptions.redeem(input.key, ctx.user);
      if (quota === null) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'key: invalid or already used.' });
      }
      return { quota };
    }),
});
