import { authRouter } from './routers/auth.js';
import { router } from './trpc.js';

export const appRouter = router({
  auth: authRouter,
});

/** The console API's type: scripts and the browser code import only this. */
export type AppRouter = typeof appRouter;
