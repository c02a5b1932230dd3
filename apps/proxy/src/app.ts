import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { isTransientDatabaseError, type Database } from '@chat-api/db';
import { RelayError } from './auth/relay-error.js';
import { answerClientError } from './client-error.js';
import { drainOnClose } from './drain.js';
import { errorInClientFormat, openAIError, type OpenAIErrorBody } from './errors.js';
import { consoleRedirectRoute } from './routes/console-redirect.js';
import { healthRoutes } from './routes/health.js';
import { dashboardBillingRoutes } from './routes/v1/dashboard-billing.js';
import { modelRoutes } from './routes/v1/models.js';
import { relayRoutes } from './routes/v1/relay-routes.js';
import { BillWriter } from './relay/bill-writer.js';
import { metricsRoute } from './metrics/metrics-route.js';
import { ProxyMetrics } from './metrics/proxy-metrics.js';
import { InFlight } from './relay/in-flight.js';
import { SilentConnections } from './silent-connections.js';
import { newRequestId } from './request-id.js';
import type { RelayServices } from './relay/relay.js';

export interface BuildOptions {
  db: Database;
  env: {
    frontendBaseUrl?: string | undefined;
    consolePort: number;
    /** RELAY_TIMEOUT in seconds; 0 = none. */
    relayTimeoutSeconds?: number;
    /** Largest request body, bytes (413 past it). */
    maxBodyBytes?: number;
    /** REQUEST_BODY_TIMEOUT: seconds to send a whole request (408 past it); 0 = no limit. */
    requestBodyTimeoutSeconds?: number;
    /** SHUTDOWN_TIMEOUT: seconds close() lets requests in flight run before it cuts them. */
    shutdownTimeoutSeconds?: number;
    /** Peers allowed to set X-Forwarded-For (TRUSTED_PROXIES). */
    trustedProxies?: string;
    /** BILL_BACKLOG_LIMIT: unwritten bills, while writes fail, past which requests get 503. */
    billBacklogLimit?: number;
    /** BATCH_UPDATE_ENABLED / BATCH_UPDATE_INTERVAL. */
    batchUpdate?: { enabled: boolean; intervalSeconds: number };
    /** METRICS_TOKEN: the bearer GET /metrics asks for; '' = loopback clients only. */
    metricsToken?: string;
  };
  logger?: FastifyServerOptions['logger'];
  /** Milliseconds since the epoch for per-minute limits; tests move it. */
  clock?: () => number;
}

/** Errors that carry their own OpenAI body (the relay's refusals and bad requests). */
interface OwnBody {
  statusCode: number;
  toBody(): OpenAIErrorBody;
}

const hasOwnBody = (error: unknown): error is OwnBody =>
  typeof (error as Partial<OwnBody>).toBody === 'function';

/** The status and OpenAI body for an error a route threw. */
function errorAnswer(error: Error & { statusCode?: number }): {
  status: number;
  body: OpenAIErrorBody;
} {
  if (hasOwnBody(error)) return { status: error.statusCode, body: error.toBody() };
  if (isTransientDatabaseError(error)) {
    return {
      status: 503,
      body: openAIError(
        'The gateway cannot reach its database right now; try again shortly.',
        'server_error',
        'database_unavailable',
      ),
    };
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status === 413) {
    return {
      status,
      body: openAIError(
        'The request body is too large.',
        'invalid_request_error',
        'request_too_large',
      ),
    };
  }
  const message = status >= 500 ? 'The gateway failed to handle the request.' : error.message;
  return {
    status,
    body: openAIError(message, status >= 500 ? 'server_error' : 'invalid_request_error'),
  };
}

/** Headers arrive in one packet from real clients; only a slowloris needs longer. */
const HEADERS_TIMEOUT_MS = 10_000;
/** How often Node looks for requests past those limits (its default is 30 s). */
const TIMEOUT_CHECK_MS = 1000;

/** The proxy without listening, so tests drive it over a real port or app.inject. */
export function build({ db, env, logger = false, clock }: BuildOptions): FastifyInstance {
  const requestTimeoutMs = (env.requestBodyTimeoutSeconds ?? 30) * 1000;
  const headersTimeoutMs =
    requestTimeoutMs > 0 ? Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs) : HEADERS_TIMEOUT_MS;
  const app = Fastify({
    logger,
    trustProxy: env.trustedProxies ?? 'loopback',
    genReqId: () => newRequestId(),
    // No child logger per request: the proxy logs only warnings, which name the request id.
    childLoggerFactory: (parent) => parent,
    requestIdHeader: false,
    // A body that trickles in is cut (Fastify turns Node's limit off by default); the answer,
    // however long it streams, is not limited by this.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
    clientErrorHandler: answerClientError,
    // drainOnClose answers requests arriving while it closes, in the client's format.
    return503OnClosing: false,
  });
  // The relay writes its answers itself, with the id; this hook covers what Fastify sends
  // (refusals, errors, other routes), and stays off the answered request's path.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  healthRoutes(app, db);
  consoleRedirectRoute(app, env);
  const relayLogger = {
    info: (message: string) => app.log.info(message),
    warn: (message: string) => app.log.warn(message),
    error: (message: string) => app.log.error(message),
  };
  const bills = new BillWriter(db, relayLogger, {
    delayMs: env.batchUpdate?.enabled ? env.batchUpdate.intervalSeconds * 1000 : undefined,
    backlogLimit: env.billBacklogLimit,
  });
  const inFlight = new InFlight();
  const metrics = new ProxyMetrics({ inFlight, bills, cache: db.cache });
  const services: RelayServices = {
    db,
    logger: relayLogger,
    timeoutMs: (env.relayTimeoutSeconds ?? 0) * 1000,
    bills,
    inFlight,
    metrics,
    limiter: db.cache.requestLimiter(clock),
  };
  drainOnClose(app, {
    limitMs: (env.shutdownTimeoutSeconds ?? 60) * 1000,
    inFlight,
    silent: new SilentConnections(app.server, headersTimeoutMs),
    logger: relayLogger,
  });
  // app.close() (SIGTERM) resolves only once every answered request is billed: the connections
  // are closed by now, but a cut request may still be on its way to its bill.
  app.addHook('onClose', async () => {
    await inFlight.ended();
    await bills.close();
    await services.limiter.close();
  });
  metricsRoute(app, { registry: metrics.registry, token: env.metricsToken ?? '' });
  app.addHook('onClose', () => metrics.close());
  void app.register(modelRoutes, { db });
  void app.register(dashboardBillingRoutes, { db });
  void app.register(relayRoutes, { services, bodyLimit: env.maxBodyBytes ?? 32 * 1024 * 1024 });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(
      openAIError(
        // Without the query, which may hold a Gemini client's key.
        `Unknown request URL: ${request.method} ${request.url.split('?')[0]}`,
        'invalid_request_error',
        'unknown_url',
      ),
    );
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const { status, body } = errorAnswer(error);
    if (status >= 500 && !hasOwnBody(error) && !isTransientDatabaseError(error)) {
      request.log.error({ err: error }, 'request failed');
    }
    // Busy, locked or unreachable: nothing was held or billed, and a retry may well pass.
    if (isTransientDatabaseError(error)) reply.header('retry-after', '1');
    if (error instanceof RelayError && error.retryAfterSeconds !== undefined) {
      reply.header('retry-after', String(error.retryAfterSeconds));
    }
    const format = request.routeOptions.config.clientFormat;
    if (!format) return reply.code(status).send(body);
    return reply
      .code(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(errorInClientFormat(format, status, JSON.stringify(body)));
  });
  return app;
}
