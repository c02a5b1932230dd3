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
import { ConsoleMetrics } from './metrics/console-metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
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
  /** What GET /metrics reports; the master's jobs report to the same. */
  metrics?: ConsoleMetrics;
  /** METRICS_TOKEN: the bearer GET /metrics asks for; '' = loopback clients only. */
  metricsToken?: string;
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
  metrics = new ConsoleMetrics(),
  metricsToken = '',
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
      createContext: contextFactory({ db, timeZone, limits, proxyPort, metrics }),
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
    // /metrics has its own access rule; a scraper is not a browser.
    if (request.url.startsWith('/trpc') || request.url === '/metrics') return;
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
  metricsRoute(app, { registry: metrics.registry, token: metricsToken });
  await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/trpc')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'Not found' });
  });
  return app;
}
