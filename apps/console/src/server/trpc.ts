import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { Role, UserStatus } from '@chat-api/db';
import type { Context } from './context.js';
import { checkApiLimit } from './limits.js';

const t = initTRPC.context<Context>().create({
  // Stack traces (with file paths) go into error responses only while developing the console.
  isDev: process.env.NODE_ENV === 'development',
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : undefined;
    const issue = zodError?.issues[0];
    return {
      ...shape,
      // "newPassword: Too small: expected string to have >=8 characters" instead of a JSON dump.
      message: issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : shape.message,
      data: {
        ...shape.data,
        fieldErrors: zodError
          ? Object.fromEntries(zodError.issues.map((i) => [i.path.join('.'), i.message]))
          : null,
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;

/** Every call is counted for GET /metrics, with its outcome (refusals by the limit too). */
const countedProcedure = t.procedure.use(async ({ ctx, path, type, next }) => {
  const result = await next();
  ctx.metrics?.procedureCalled(path, type, result.ok ? 'OK' : result.error.code);
  return result;
});

/** Anyone, signed in or not: login and registration. Every procedure counts toward the IP's limit. */
export const publicProcedure = countedProcedure.use(async ({ ctx, next }) => {
  await checkApiLimit(ctx.db, ctx.req.ip, ctx.limits);
  return next();
});

/** Signed in, even while the default root password still has to be changed. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  if (ctx.user.status !== UserStatus.enabled) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This account is disabled.' });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Signed in with a password of their own: every ordinary procedure. */
export const userProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.user.mustChangePassword) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Change the default password first.' });
  }
  return next();
});

const requireRole = (role: number) =>
  userProcedure.use(({ ctx, next }) => {
    if (ctx.user.role < role)
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Not allowed for your role.' });
    return next();
  });

export const adminProcedure = requireRole(Role.admin);
export const rootProcedure = requireRole(Role.root);
