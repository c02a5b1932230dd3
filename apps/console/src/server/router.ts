import { authRouter } from './routers/auth.js';
import { channelRouter } from './routers/channels.js';
import { dashboardRouter } from './routers/dashboard.js';
import { identityRouter } from './routers/identities.js';
import { legacyImportRouter } from './routers/legacy-import.js';
import { logRouter } from './routers/logs.js';
import { optionRouter } from './routers/options.js';
import { redemptionRouter } from './routers/redemptions.js';
import { tokenRouter } from './routers/tokens.js';
import { topUpRouter } from './routers/top-ups.js';
import { userRouter } from './routers/users.js';
import { router } from './trpc.js';

/** Procedure names are a contract with scripts and the console (DESIGN §7). */
export const appRouter = router({
  auth: authRouter,
  user: userRouter,
  channel: channelRouter,
  token: tokenRouter,
  redemption: redemptionRouter,
  log: logRouter,
  option: optionRouter,
  dashboard: dashboardRouter,
  identity: identityRouter,
  topUp: topUpRouter,
  legacyImport: legacyImportRouter,
});

/** The console API's type: scripts and the browser code import only this. */
export type AppRouter = typeof appRouter;
