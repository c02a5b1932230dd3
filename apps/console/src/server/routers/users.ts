import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { plainText } from './plain-text.js';
import { Role, UniqueViolationError, UserStatus, type Database, type User } from '@chat-api/db';
import { adminProcedure, router } from '../trpc.js';
import { usernameSchema } from './auth.js';
import { REQUEST_LIMIT_FIELDS, requestLimitSettings } from './token-input.js';

const id = z.object({ id: z.number().int().positive() });
const role = z.union([z.literal(Role.common), z.literal(Role.admin), z.literal(Role.root)]);
const quota = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * One API's rule: you manage only users below your own role, so admins manage common users
 * and root manages everyone. Nobody makes a user their equal or above, except root.
 */
function assertCanManage(actor: User, target: User, newRole?: number): void {
  if (actor.id !== target.id && target.role >= actor.role) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'You can only manage users below your role.',
    });
  }
  if (newRole !== undefined && newRole !== target.role) {
    if (target.role === Role.root)
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Root cannot be demoted.' });
    if (actor.role !== Role.root || newRole === Role.root) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Only root can make administrators.' });
    }
  }
}

/**
 * An administrator edits only their own display name here: their quota, group, role and status
 * are root's to set, and their password changes through auth.changePassword, which asks for the
 * old one (a stolen session cannot take the account over). A form that sends the current values
 * back unchanged is not refused.
 */
function assertSelfEditAllowed(actor: User, target: User, patch: UserUpdate): void {
  if (actor.id !== target.id || actor.role === Role.root) return;
  const changed = [
    patch.password !== undefined && 'password',
    patch.group !== undefined && patch.group !== target.group && 'group',
    patch.quota !== undefined && patch.quota !== target.quota && 'quota',
    patch.addQuota !== undefined && patch.addQuota !== 0 && 'addQuota',
    patch.role !== undefined && patch.role !== target.role && 'role',
    patch.status !== undefined && patch.status !== target.status && 'status',
    ...REQUEST_LIMIT_FIELDS.map(
      (field) => patch[field] !== undefined && patch[field] !== target[field] && field,
    ),
  ].filter((field) => field !== false);
  if (changed.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `${changed.join(', ')}: you cannot change your own here (ask root; your password changes in your profile).`,
    });
  }
}

const updateInput = id.extend({
  displayName: plainText(z.string().max(64)).optional(),
  /** Where the user's quota notices are emailed; '' = none. */
  email: z.union([z.email().max(254), z.literal('')]).optional(),
  password: z.string().min(8).max(64).optional(),
  group: plainText(z.string().min(1).max(64)).optional(),
  quota: quota.optional(),
  /** Adds to (or, negative, takes from) the current quota. */
  addQuota: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
  role: role.optional(),
  status: z.union([z.literal(UserStatus.enabled), z.literal(UserStatus.disabled)]).optional(),
  ...requestLimitSettings,
});

/** Defaults for the user's keys that set no limit of their own. */
type UserUpdate = Omit<z.infer<typeof updateInput>, 'id'>;

async function findUser(db: Database, userId: number): Promise<User> {
  const user = await db.repos.users.findById(userId);
  if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `No user ${userId}.` });
  return user;
}

export const userRouter = router({
  list: adminProcedure
    .input(
      z
        .object({
          page: z.number().int().min(1).default(1),
          pageSize: z.number().int().min(1).max(100).default(20),
          keyword: plainText(z.string().max(64)).optional(),
          sort: z.enum(['id', 'quota', 'usedQuota', 'requestCount']).optional(),
        })
        .default({ page: 1, pageSize: 20 }),
    )
    .query(({ ctx, input }) => ctx.db.repos.users.list(input)),

  get: adminProcedure.input(id).query(({ ctx, input }) => findUser(ctx.db, input.id)),

  create: adminProcedure
    .input(
      z.object({
        username: usernameSchema,
        password: z.string().min(8).max(64),
        displayName: plainText(z.string().max(64)).optional(),
        role: role.optional(),
        group: plainText(z.string().min(1).max(64)).optional(),
        quota: quota.optional(),
        ...requestLimitSettings,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      if ((input.role ?? Role.common) >= ctx.user.role) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Only root can make administrators.' });
      }
      try {
        return { id: (await ctx.db.repos.users.create(input)).id };
      } catch (error) {
        if (error instanceof UniqueViolationError) {
          throw new TRPCError({ code: 'CONFLICT', message: 'username: already taken.' });
        }
        throw error;
      }
    }),

  update: adminProcedure.input(updateInput).mutation(async ({ ctx, input }) => {
    const { id: userId, ...patch } = input;
    const target = await findUser(ctx.db, userId);
    assertCanManage(ctx.user, target, patch.role);
    assertSelfEditAllowed(ctx.user, target, patch);
    if (patch.status === UserStatus.disabled && target.role === Role.root) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Root cannot be disabled.' });
    }
    return ctx.db.repos.users.update(userId, patch, ctx.user);
  }),

  delete: adminProcedure.input(id).mutation(async ({ ctx, input }) => {
    const target = await findUser(ctx.db, input.id);
    if (target.role === Role.root)
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Root cannot be deleted.' });
    assertCanManage(ctx.user, target);
    return { ok: await ctx.db.repos.users.delete(input.id) };
  }),
});
