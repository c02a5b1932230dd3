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
    limits: {
      apiPer3Minutes: env.rateLimits.api,
      webPer3Minutes: env.rateLimits.web,
      authAttemptsPerMinute: 10,
    },
    logger: { level: 'warn' },
  });
  await app.listen({ port: env.port, host: env.host });
  logger.info(`console: listening on http://${env.host}:${env.port}`);
  return async () => {
    await app.close();
    await db.close();
  };
});
