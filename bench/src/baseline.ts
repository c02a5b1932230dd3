import Fastify, { type FastifyInstance } from 'fastify';
import { Pool } from 'undici';

/**
 * The least a Fastify + undici relay can do: the request body passes to the upstream as bytes
 * and the answer streams back. What the proxy costs beyond this is the gateway's own work.
 */
export function buildBaseline(upstreamUrl: string): FastifyInstance {
  const upstream = new Pool(upstreamUrl);
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onClose', () => upstream.close());

  for (const path of ['/v1/chat/completions', '/v1/messages']) {
    app.post(path, async (request, reply) => {
      const answer = await upstream.request({
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          authorization: request.headers.authorization ?? '',
        },
        body: request.body as Buffer,
      });
      const type = answer.headers['content-type'];
      if (typeof type === 'string') reply.header('content-type', type);
      return reply.code(answer.statusCode).send(answer.body);
    });
  }
  return app;
}
