import type { FastifyInstance } from 'fastify';
import type { Logger } from '@chat-api/db';
import { RelayError } from './auth/relay-error.js';
import type { InFlight } from './relay/in-flight.js';
import type { SilentConnections } from './silent-connections.js';

const IDLE_SWEEP_MS = 100;

/**
 * How app.close() (SIGTERM) ends the proxy's work: Fastify stops listening, closes idle
 * connections, and requests that still arrive get 503 `server_shutting_down` in their client's
 * error format (with `connection: close`, so the client's retry opens a connection to a node
 * that is up; Fastify's own 503 is not in any client's format). The requests in flight get
 * `limitMs` to finish. Past it, open streams are cut (the client reads an error event; the bill
 * counts what was delivered) and every connection left is closed (an answer that had not started
 * gives its hold back). The bills are written after that, by the bill writer's own onClose.
 */
export function drainOnClose(
  app: FastifyInstance,
  options: { limitMs: number; inFlight: InFlight; silent: SilentConnections; logger: Logger },
): void {
  const { limitMs, inFlight, silent, logger } = options;
  let limit: NodeJS.Timeout | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let closing = false;
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    void reply.header('connection', 'close');
    done(new RelayError('server_shutting_down').retryAfter(1));
  });
  app.addHook('preClose', (done) => {
    closing = true;
    // Node closes the idle keep-alive connections once, as it stops listening; the server is
    // closed only when every connection is, so those idle after their last answer go too.
    // Connections that never sent a request are not idle to Node: they are closed here too.
    const closeIdle = () => {
      app.server.closeIdleConnections();
      silent.closeAll();
    };
    closeIdle();
    sweep = setInterval(closeIdle, IDLE_SWEEP_MS);
    limit = setTimeout(() => {
      if (inFlight.openStreams > 0) {
        logger.warn(
          `proxy: cutting ${inFlight.openStreams} streams still open after ${limitMs / 1000} s (SHUTDOWN_TIMEOUT); each is billed for what it delivered`,
        );
      }
      inFlight.cutStreams();
      // After the cut streams' last events left; a client that reads none of it is cut here.
      setImmediate(() => app.server.closeAllConnections());
    }, limitMs);
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    clearTimeout(limit);
    clearInterval(sweep);
    done();
  });
}
