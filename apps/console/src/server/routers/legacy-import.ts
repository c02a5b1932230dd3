import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  ConfigError,
  formatImportReport,
  importLegacyDatabase,
  LegacyImportError,
} from '@chat-api/db';
import { rootProcedure, router } from '../trpc.js';

/**
 * `npm run import` from the console: root names a One API or New API database this server can
 * reach (a SQLite file on it, or a DSN) and gets the same report. A dry run first is the default.
 */
export const legacyImportRouter = router({
  run: rootProcedure
    .input(
      z.object({
        from: z.string().trim().min(1).max(2048),
        dryRun: z.boolean().default(true),
        includeLogs: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      try {
        const report = await importLegacyDatabase(ctx.db, input.from, {
          dryRun: input.dryRun,
          includeLogs: input.includeLogs,
        });
        return { report, text: formatImportReport(report) };
      } catch (error) {
        // A source that is missing, unreachable or not One API / New API: the reason, in words.
        if (error instanceof LegacyImportError || error instanceof ConfigError) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
        }
        throw error;
      }
    }),
});
