import type { FastifyInstance } from 'fastify';
import type { NativeFormat } from '@chat-api/providers';
import { countRelayedRequests } from '../../metrics/request-labels.js';
import { authenticateFirst } from '../../relay/authenticate-first.js';
import { countClaudeTokens } from '../../relay/count-tokens.js';
import { ENDPOINTS, type Endpoint } from '../../relay/endpoints.js';
import { relay, type RelayServices } from '../../relay/relay.js';
import { geminiRoutes } from './gemini-routes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A relay route's client format when not OpenAI's: its errors take that format's shape. */
    clientFormat?: NativeFormat;
  }
}

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
  countRelayedRequests(app, options.services.metrics);
  app.addHook('onRequest', authenticateFirst(options.services.db));
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_request, body, done) => {
      done(null, body);
    },
  );
  for (const endpoint of Object.values(ENDPOINTS) as Endpoint[]) {
    if (endpoint.format === 'gemini') continue; // its paths are routed in gemini-routes.ts
    app.post(endpoint.path, { config: { clientFormat: endpoint.format } }, (request, reply) =>
      options.services.inFlight.run(() => relay(options.services, endpoint, request, reply)),
    );
  }
  app.post('/v1/messages/count_tokens', { config: { clientFormat: 'claude' } }, (request) =>
    Promise.resolve(countClaudeTokens(request)),
  );
  geminiRoutes(app, options.services);
}
