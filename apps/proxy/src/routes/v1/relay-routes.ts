import type { FastifyInstance } from 'fastify';
import { authenticateFirst } from '../../relay/authenticate-first.js';
import { ENDPOINTS } from '../../relay/endpoints.js';
import { relay, type RelayServices } from '../../relay/relay.js';

/**
 * The relayed /v1 endpoints. The API key is checked before the body is read. Bodies arrive as
 * raw bytes, whatever their content type (curl without a header sends form-encoded JSON), so an
 * untouched body goes upstream unchanged.
 */
export async function relayRoutes(
  app: FastifyInstance,
  options: { services: RelayServices; bodyLimit: number },
): Promise<void> {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', authenticateFirst(options.services.db));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_request, body, done) => {
      done(null, body);
    },
  );
  for (const endpoint of Object.values(ENDPOINTS)) {
    app.post(endpoint.path, (request, reply) =>
      options.services.inFlight.run(() => relay(options.services, endpoint, request, reply)),
    );
  }
}
