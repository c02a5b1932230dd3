import { z } from 'zod';
import { plainText } from './plain-text.js';
import { Role, type Log, type LogFilter, type User } from '@chat-api/db';
import { rootProcedure, router, userProcedure } from '../trpc.js';

const unixSeconds = z.number().int().min(0);

/** The filters of log.list and log.stats; an empty string filters nothing, as in One API. */
const filters = {
  type: z.number().int().min(1).optional(),
  model: plainText(z.string().max(128)).optional(),
  tokenName: plainText(z.string().max(64)).optional(),
  username: plainText(z.string().max(64)).optional(),
  channelId: z.number().int().min(0).optional(),
  /** Unix seconds, both inclusive. */
  from: unixSeconds.optional(),
  to: unixSeconds.optional(),
};

export const isAdmin = (user: User) => user.role >= Role.admin;

/** Common users see only their own logs, whatever they ask for; admins see everyone's. */
export function scoped<T extends LogFilter>(user: User, input: T): T {
  return isAdmin(user) ? input : { ...input, username: undefined, userId: user.id };
}

/** A log as DESIGN §7 shows it; `other` holds admin-only details (ratios, channel internals). */
function view(log: Log, admin: boolean) {
  return {
    id: log.id,
    createdAt: log.createdAt,
    type: log.type,
    username: log.username,
    tokenName: log.tokenName,
    model: log.model,
    channelId: log.channelId,
    promptTokens: log.promptTokens,
    completionTokens: log.completionTokens,
    quota: log.quota,
    isStream: log.isStream,
    ttftMs: log.ttftMs,
    durationMs: log.durationMs,
    requestId: log.requestId,
    content: log.content,
    ...(admin ? { other: log.other } : {}),
  };
}

export const logRouter = router({
  list: userProcedure
    .input(
      z
        .object({
          page: z.number().int().min(1).default(1),
          pageSize: z.number().int().min(1).max(100).default(20),
          ...filters,
        })
        .prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const { items, total } = await ctx.db.repos.logs.list(scoped(ctx.user, input));
      const admin = isAdmin(ctx.user);
      return { items: items.map((log) => view(log, admin)), total };
    }),

  stats: userProcedure
    .input(z.object(filters).prefault({}))
    .query(({ ctx, input }) => ctx.db.repos.logs.stats(scoped(ctx.user, input))),

  deleteBefore: rootProcedure
    .input(z.object({ before: unixSeconds }))
    .mutation(async ({ ctx, input }) => ({
      deleted: await ctx.db.repos.logs.deleteBefore(input.before),
    })),
});
