// First: V8 flags must be set before the code they tune runs.
import './v8-flags.js';
import { openDatabase, runService } from '@chat-api/db';
import { build } from './app.js';
import { readProxyEnv } from './env.js';

await runService('proxy', async (logger) => {
  const env = readProxyEnv(process.env);
  const db = await openDatabase({ ...env, logger });
  const app = build({ db, env, logger: { level: 'warn' } });
  await app.listen({ port: env.port, host: env.host });
  logger.info(
    `proxy: listening on http://${env.host}:${env.port} (database ${env.database.target.dialect}, cache ${db.cache.backend})`,
  );
  return {
    drainMs: env.shutdownTimeoutSeconds * 1000,
    // Drains (see drain.ts), writes every pending bill, then closes the database.
    close: async () => {
      await app.close();
      await db.close();
    },
  };
});
