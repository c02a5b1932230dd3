import { openDatabase, runService } from '@chat-api/db';
import { build } from './app.js';
import { readConsoleEnv } from './env.js';
import { masterJobs } from './jobs/master-jobs.js';
import { ConsoleMetrics } from './metrics/console-metrics.js';

await runService('console', async (logger) => {
  const env = readConsoleEnv(process.env);
  const db = await openDatabase({ ...env, logger });
  const metrics = new ConsoleMetrics();
  const app = await build({
    metrics,
    metricsToken: env.metricsToken,
    db,
    sessionSecret: env.sessionSecret,
    timeZone: env.timeZone,
    trustedProxies: env.trustedProxies,
    proxyPort: env.proxyPort,
    github: env.github,
    stripeApiBase: env.stripeApiBase,
    publicUrl: env.publicUrl,
    turnstileVerifyUrl: env.turnstileVerifyUrl,
    limits: {
      apiPer3Minutes: env.rateLimits.api,
      webPer3Minutes: env.rateLimits.web,
      authAttemptsPerMinute: 10,
    },
    logger: { level: 'warn' },
  });
  await app.listen({ port: env.port, host: env.host });
  logger.info(`console: listening on http://${env.host}:${env.port}`);
  // Periodic housekeeping and the channel jobs belong to master nodes only (NODE_TYPE).
  const master = env.node.nodeType === 'master';
  const housekeeping = master
    ? setInterval(() => {
        db.repos.sessions.deleteExpired().catch((error: Error) => {
          logger.warn(`console: cannot delete expired sessions (${error.message})`);
        });
      }, 3_600_000).unref()
    : undefined;
  const jobs = master ? masterJobs({ db, logger, ...env.jobs, metrics }) : undefined;
  await jobs?.start();
  return {
    // Console requests are short: close() waits for them within runService's own limit.
    drainMs: 0,
    close: async () => {
      clearInterval(housekeeping);
      // First, while the database is open: a run stops at its next step or is abandoned.
      await jobs?.stop();
      await app.close();
      await db.close();
    },
  };
});
