import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listRequest, optionalPagingInput } from './paging.js';
import { effectiveTokenStatus, tokenProblem } from '@chat-api/billing';
import { nowSeconds, Role, TokenStatus, type Database, type Token, type User } from '@chat-api/db';
import { router, userProcedure } from '../trpc.js';
import { REQUEST_LIMIT_FIELDS, tokenName, tokenSettings } from './token-input.js';

const id = z.number().int().positive();

/** A token as its owner sees it (DESIGN §7): the effective status, never the key or its hash. */
function view(token: Token, now: number) {
  return {
    id: token.id,
    name: token.name,
    keyHint: token.keyHint,
    status: effectiveTokenStatus(token, now),
    remainQuota: token.remainQuota,
    usedQuota: token.usedQuota,
    unlimitedQuota: token.unlimitedQuota,
    expiredTime: token.expiredTime,
    expiryMode: token.expiryMode,
    durationSeconds: token.durationSeconds,
    firstUsedTime: token.firstUsedTime,
    models: token.models,
    subnets: token.subnets,
    group: token.group,
    rpmLimit: token.rpmLimit,
    tpmLimit: token.tpmLimit,
    concurrencyLimit: token.concurrencyLimit,
    createdTime: token.createdTime,
    accessedTime: token.accessedTime,
  };
}

const badRequest = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });
const notFound = (tokenId: number) =>
  new TRPCError({ code: 'NOT_FOUND', message: `No token ${tokenId}.` });

/** Every user, admins included, manages only their own tokens: another's id is not found. */
async function findOwn(db: Database, user: User, tokenId: number): Promise<Token> {
  const token = await db.repos.tokens.get(tokenId, user.id);
  if (!token) throw notFound(tokenId);
  return token;
}

function assertExpiry(next: Pick<Token, 'expiryMode' | 'durationSeconds'>): void {
  if (next.expiryMode === 'first_use' && next.durationSeconds <= 0) {
    throw badRequest('durationSeconds: required (> 0) when expiryMode is first_use.');
  }
}

/** A token's group overrides its owner's for routing and pricing, so only admins pick any. */
function assertGroup(user: User, group: string | undefined, current?: Token): void {
  if (group === undefined || user.role >= Role.admin) return;
  const allowed = ['', user.group, ...(current ? [current.group] : [])];
  if (!allowed.includes(group)) throw badRequest(`group: only your own group (${user.group}).`);
}

/**
 * A user's limits are an administrator's to set: a common user's key may be stricter, not
 * looser (0 takes the account's limit).
 */
function assertLimits(
  user: User,
  patch: Partial<Pick<Token, (typeof REQUEST_LIMIT_FIELDS)[number]>>,
) {
  if (user.role >= Role.admin) return;
  for (const field of REQUEST_LIMIT_FIELDS) {
    const asked = patch[field];
    if (asked !== undefined && user[field] > 0 && asked > user[field]) {
      throw badRequest(`${field}: at most your account's limit of ${user[field]} (0 takes it).`);
    }
  }
}

/** Enabling is refused while the token, as it would be after the change, still cannot work. */
function assertCanEnable(next: Token, now: number): void {
  const problem = tokenProblem(next, now);
  if (problem === 'expired' && next.expiryMode === 'first_use') {
    throw badRequest(
      'status: the lifetime since first use has run out; raise durationSeconds to enable it.',
    );
  }
  if (problem === 'expired') {
    throw badRequest(
      'status: the token has expired; set a later expiredTime (or -1 for never) to enable it.',
    );
  }
  if (problem === 'exhausted') {
    throw badRequest(
      'status: the token has no quota left; raise remainQuota or make it unlimited to enable it.',
    );
  }
}

export const tokenRouter = router({
  list: userProcedure.input(optionalPagingInput).query(async ({ ctx, input = {} }) => {
    const { items, total } = await ctx.db.repos.tokens.list({
      userId: ctx.user.id,
      ...listRequest(input),
    });
    const now = nowSeconds();
    return { items: items.map((token) => view(token, now)), total };
  }),

  get: userProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    return view(await findOwn(ctx.db, ctx.user, input.id), nowSeconds());
  }),

  /** The key is in this answer and nowhere else; the database keeps only its hash. */
  create: userProcedure
    .input(z.object({ ...tokenSettings, name: tokenName }))
    .mutation(async ({ ctx, input }) => {
      // A token created without any quota setting is limited only by its owner's quota.
      const settings = { unlimitedQuota: input.remainQuota === undefined, ...input };
      assertExpiry({
        expiryMode: input.expiryMode ?? 'fixed',
        durationSeconds: input.durationSeconds ?? 0,
      });
      assertGroup(ctx.user, input.group);
      assertLimits(ctx.user, input);
      const { token, key } = await ctx.db.repos.tokens.create(ctx.user.id, settings);
      return { id: token.id, key };
    }),

  /** Enabling (status 1) is refused while the token would still be expired or exhausted. */
  update: userProcedure
    .input(
      z.object({
        id,
        status: z
          .union([z.literal(TokenStatus.enabled), z.literal(TokenStatus.disabled)])
          .optional(),
        ...tokenSettings,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id: tokenId, ...patch } = input;
      const current = await findOwn(ctx.db, ctx.user, tokenId);
      const next = { ...current, ...patch };
      assertExpiry(next);
      assertGroup(ctx.user, patch.group, current);
      assertLimits(ctx.user, patch);
      const now = nowSeconds();
      if (patch.status === TokenStatus.enabled) assertCanEnable(next, now);
      const updated = await ctx.db.repos.tokens.update(tokenId, ctx.user.id, patch);
      if (!updated) throw notFound(tokenId);
      return view(updated, now);
    }),

  delete: userProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    if (!(await ctx.db.repos.tokens.delete(input.id, ctx.user.id))) throw notFound(input.id);
    return { ok: true };
  }),

  /** A new key for the same token; the old one stops working at once. */
  regenerateKey: userProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const key = await ctx.db.repos.tokens.regenerateKey(input.id, ctx.user.id);
    if (key === null) throw notFound(input.id);
    return { key };
  }),
});
