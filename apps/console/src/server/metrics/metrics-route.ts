import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { metricsRefusal } from '@chat-api/db';

let processRegistry: Registry | undefined;

/** CPU, memory, event loop and GC: one process's, collected once however many apps it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * GET /metrics in Prometheus' text format: the process's series and the app's. Who may read it:
 * metricsRefusal (METRICS_TOKEN as a bearer, else loopback clients only).
 */
export function metricsRoute(
  app: FastifyInstance,
  { registry, token }: { registry: Registry; token: string },
): void {
  app.get('/metrics', async (request, reply) => {
    const refusal = metricsRefusal(token, {
      remoteAddress: request.socket.remoteAddress,
      headers: request.headers,
    });
    if (refusal) {
      if (refusal.status === 401) void reply.header('www-authenticate', 'Bearer');
      return reply
        .code(refusal.status)
        .type('text/plain; charset=utf-8')
        .send(`${refusal.message}\n`);
    }
    const merged = Registry.merge([processMetrics(), registry]);
    return reply.type(merged.contentType).send(await merged.metrics());
  });
}
