import { openDatabase, runService } from '@chat-api/db';
import { build } from './app.js';
import { readConsoleEnv } from './env.js';

await runService('console', async (logger) => {
  const env = readConsoleEnv(process.env);
  const db = await openDatabase({ ...env, logger });
  const app = await build({
    db,
    sessionSecret: env.sessionSecret,
    timeZone: env.timeZone,
    trustedProxies: env.trustedProxies,
    proxyPort: env.proxyPort,
    limits: {
      apiPer3Minutes: env.rateLimits.api,
      webPer3Minutes: env.rateLimits.web,
      authAttemptsPerMinute: 10,
    },
    logger: { level: 'warn' },
  });
  await app.listen({ port: env.port, host: env.host });
  logger.info(`console: listening on http://${env.host}:${env.port}`);
  // Periodic housekeeping belongs to the master node only (NODE_TYPE).
  const housekeeping =
    env.node.nodeType === 'master'
      ? setInterval(() => {
          db.repos.sessions.deleteExpired().catch((error: Error) => {
            logger.warn(`console: cannot delete expired sessions (${error.message})`);
          });
        }, 3_600_000).unref()
      : undefined;
  return {
    // Console requests are short: close() waits for them within runService's own limit.
    drainMs: 0,
    close: async () => {
      clearInterval(housekeeping);
      await app.close();
      await db.close();
    },
  };
});
