import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from '@chat-api/db';
import { TURNSTILE_VERIFY_URL } from './account/turnstile.js';
import { contextFactory } from './context.js';
import { DEFAULT_LIMITS, type ConsoleLimits } from './limits.js';
import { ConsoleMetrics } from './metrics/console-metrics.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { GITHUB_COM, type GitHubEndpoints } from './oauth/github.js';
import { appRouter, type AppRouter } from './router.js';
import { logsCsvRoute } from './routes/logs-csv.js';
import { oauthRoutes } from './routes/oauth.js';
import { isStripeWebhook, stripeWebhookRoute } from './routes/stripe-webhook.js';
import { refuseCrossSite } from './same-origin.js';
import { DEFAULT_STRIPE_API_BASE } from './top-up/stripe-client.js';

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
  /** GITHUB_BASE_URL, GITHUB_API_URL: github.com's, or a GitHub Enterprise Server's. */
  github?: GitHubEndpoints;
  /** FRONTEND_BASE_URL: the console's public address, for links in emails. */
  publicUrl?: string;
  /** TURNSTILE_VERIFY_URL: where Turnstile tokens are checked. */
  turnstileVerifyUrl?: string;
  /** STRIPE_API_BASE: Stripe's API origin (top-ups). */
  stripeApiBase?: string;
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
  github = GITHUB_COM,
  publicUrl,
  turnstileVerifyUrl = TURNSTILE_VERIFY_URL,
  stripeApiBase = DEFAULT_STRIPE_API_BASE,
}: BuildOptions): Promise<FastifyInstance> {
  // Links are built as `${consoleUrl}/path`.
  const consoleUrl = publicUrl?.replace(/\/+$/, '');
  const app = Fastify({
    logger,
    trustProxy: trustedProxies,
    routerOptions: { maxParamLength: 5000 },
  });
  await app.register(fastifyCookie, { secret: sessionSecret });
  app.addHook('onRequest', async (request, reply) => {
    // Stripe posts its webhook from its own servers, with no cookie: the route trusts only the
    // Stripe-Signature over the body, so cross-site forgery has nothing to ride on there.
    if (isStripeWebhook(request)) return;
    await refuseCrossSite(request, reply);
  });
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: contextFactory({
        db,
        timeZone,
        limits,
        proxyPort,
        metrics,
        publicUrl: consoleUrl,
        turnstileVerifyUrl,
        stripeApiBase,
      }),
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
    // Stripe delivers webhooks in bursts from a few addresses and retries what is refused, so
    // a 429 would only delay payments; an unsigned post costs one HMAC before its 400.
    if (isStripeWebhook(request)) return;
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
  oauthRoutes(app, { db, github, publicUrl: consoleUrl });
  await stripeWebhookRoute(app, db);
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
