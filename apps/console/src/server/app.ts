import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from '@chat-api/db';
import { contextFactory } from './context.js';
import { DEFAULT_LIMITS, type ConsoleLimits } from './limits.js';
import { appRouter, type AppRouter } from './router.js';
import { logsCsvRoute } from './routes/logs-csv.js';
import { refuseCrossSite } from './same-origin.js';

/** apps/console, whether this runs from src/server (tests) or dist/server (production). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_ROOT = join(PACKAGE_ROOT, 'dist', 'web');

export interface BuildOptions {
  db: Database;
  sessionSecret: string;
  /** Day boundaries of dashboards. */
  timeZone: string;
  /** Peers allowed to set X-Forwarded-For / -Proto (TRUSTED_PROXIES). */
  trustedProxies?: string;
  limits?: ConsoleLimits;
  /** PROXY_PORT, shown in the console's API examples when ServerAddress is not set. */
  proxyPort?: number;
  logger?: FastifyServerOptions['logger'];
  webRoot?: string;
}

/** The console: tRPC at /trpc, the built SolidJS app everywhere else (history-mode routes). */
export async function build({
  db,
  sessionSecret,
  timeZone,
  trustedProxies = 'loopback',
  limits = DEFAULT_LIMITS,
  proxyPort = 3000,
  logger = false,
  webRoot = WEB_ROOT,
}: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    trustProxy: trustedProxies,
    routerOptions: { maxParamLength: 5000 },
  });
  await app.register(fastifyCookie, { secret: sessionSecret });
  app.addHook('onRequest', refuseCrossSite);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: contextFactory({ db, timeZone, limits, proxyPort }),
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          app.log.error({ err: error, path }, 'tRPC procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new Error(`console: no built web app at ${webRoot} (run npm run build)`);
  }
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/trpc')) return;
    const result = await db.cache.rateLimiter.hit(
      `console-web:${request.ip}`,
      limits.webPer3Minutes,
      180,
    );
    if (!result.allowed) {
      await reply
        .code(429)
        .header('retry-after', result.retryAfterSeconds)
        .send('Too many requests');
    }
  });
  logsCsvRoute(app, db);
  await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/trpc')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'Not found' });
  });
  return app;
}
