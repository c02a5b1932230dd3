import type { FastifyInstance, FastifyReply } from 'fastify';
import { geminiErrorBody } from '@chat-api/providers';
import { assertAllowed } from '../../relay/caller.js';
import { callerOf } from '../../relay/authenticate-first.js';
import { countGeminiTokens } from '../../relay/count-tokens.js';
import { ENDPOINTS } from '../../relay/endpoints.js';
import { relay, type RelayServices } from '../../relay/relay.js';
import { modelsOf } from './models.js';

/** What Gemini's path names after the model: `models/{model}:{method}`. */
function modelAndMethod(target: string): { model: string; method: string } {
  const colon = target.lastIndexOf(':');
  return colon < 0
    ? { model: target, method: '' }
    : { model: target.slice(0, colon), method: target.slice(colon + 1) };
}

function geminiModel(name: string) {
  return {
    name: `models/${name}`,
    baseModelId: name,
    version: name,
    displayName: name,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  };
}

function notFound(reply: FastifyReply, message: string) {
  return reply
    .code(404)
    .header('content-type', 'application/json; charset=utf-8')
    .send(geminiErrorBody(404, message));
}

/**
 * The Gemini API's paths (Google GenAI SDK, Gemini CLI): one route per path shape, since the
 * model and the method share the last segment. Registered beside the other relay routes, so the
 * key (`x-goog-api-key` or `?key=`) is checked before the body is read.
 */
export function geminiRoutes(app: FastifyInstance, services: RelayServices): void {
  const config = { clientFormat: 'gemini' } as const;

  app.post<{ Params: { target: string } }>(
    '/v1beta/models/:target',
    { config },
    (request, reply) => {
      const { model, method } = modelAndMethod(request.params.target);
      switch (method) {
        case 'generateContent':
          return services.inFlight.run(() =>
            relay(services, ENDPOINTS.geminiGenerate, request, reply, model),
          );
        case 'streamGenerateContent':
          return services.inFlight.run(() =>
            relay(services, ENDPOINTS.geminiStream, request, reply, model),
          );
        case 'countTokens':
          return Promise.resolve(countGeminiTokens(request, model));
        default:
          return notFound(reply, `The method \`${method}\` is not served for models.`);
      }
    },
  );

  app.get('/v1beta/models', { config }, async (request) => {
    const caller = callerOf(request);
    assertAllowed(caller, request, undefined);
    return { models: (await modelsOf(services.db, caller)).map(geminiModel) };
  });

  app.get<{ Params: { target: string } }>(
    '/v1beta/models/:target',
    { config },
    async (request, reply) => {
      const caller = callerOf(request);
      assertAllowed(caller, request, undefined);
      const model = request.params.target;
      if ((await modelsOf(services.db, caller)).includes(model)) return geminiModel(model);
      return notFound(reply, `models/${model} is not found or you do not have access to it.`);
    },
  );
}
