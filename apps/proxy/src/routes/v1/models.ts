import type { FastifyInstance } from 'fastify';
import type { Database } from '@chat-api/db';
import { RelayError } from '../../auth/relay-error.js';
import { assertAllowed, identifyCaller, type Caller } from '../../relay/caller.js';
import { loadRouting } from '../../relay/routing.js';

function modelObject(id: string) {
  return { id, object: 'model', created: 0, owned_by: 'chat-api' };
}

/** The models the key may use: its group's channels, narrowed by the key's allow-list. */
export async function modelsOf(db: Database, caller: Caller): Promise<string[]> {
  const routing = await loadRouting(db);
  const models = routing.index.modelsFor(caller.group);
  const allowed = caller.token.allowedModels;
  return allowed ? models.filter((model) => allowed.has(model)) : [...models];
}

export async function modelRoutes(app: FastifyInstance, options: { db: Database }): Promise<void> {
  const { db } = options;
  app.get('/v1/models', async (request) => {
    const caller = await identifyCaller(db, request);
    assertAllowed(caller, request, undefined);
    return { object: 'list', data: (await modelsOf(db, caller)).map(modelObject) };
  });

  app.get<{ Params: { model: string } }>('/v1/models/:model', async (request, reply) => {
    const caller = await identifyCaller(db, request);
    assertAllowed(caller, request, undefined);
    const { model } = request.params;
    if ((await modelsOf(db, caller)).includes(model)) return modelObject(model);
    const refusal = new RelayError('model_not_available', { model, group: caller.group });
    return reply.code(404).send({
      error: {
        ...refusal.toBody().error,
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        code: 'model_not_found',
      },
    });
  });
}
