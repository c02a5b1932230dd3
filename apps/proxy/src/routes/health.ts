import type { FastifyInstance } from 'fastify';
import type { Database } from '@chat-api/db';

/** GET /healthz: 200 when the database answers; the cache backend is reported, never fatal. */
export function healthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await db.ping();
      return { status: 'ok', database: 'ok', cache: db.cache.backend };
    } catch {
      return reply
        .code(503)
        .send({ status: 'error', database: 'unreachable', cache: db.cache.backend });
    }
  });
}
