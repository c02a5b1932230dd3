import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from '@chat-api/db';
import { openAIError } from './errors.js';
import { consoleRedirectRoute } from './routes/console-redirect.js';
import { healthRoutes } from './routes/health.js';

export interface BuildOptions {
  db: Database;
  env: { frontendBaseUrl?: string | undefined; consolePort: number };
  logger?: FastifyServerOptions['logger'];
}

/** The proxy without listening, so tests drive it over a real port or app.inject. */
export function build({ db, env, logger = false }: BuildOptions): FastifyInstance {
  const app = Fastify({ logger, trustProxy: true });

  healthRoutes(app, db);
  consoleRedirectRoute(app, env);

  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(
        openAIError(
          `Unknown request URL: ${request.method} ${request.url}`,
          'invalid_request_error',
          'unknown_url',
        ),
      );
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'The gateway failed to handle the request.' : error.message;
    void reply
      .code(status)
      .send(openAIError(message, status >= 500 ? 'server_error' : 'invalid_request_error'));
  });
  return app;
}
