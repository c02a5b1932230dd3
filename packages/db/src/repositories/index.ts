import type { Sequelize } from 'sequelize';
import type { Models } from '../models/index.js';
import { channelsRepository } from './channels.js';
import { logsRepository } from './logs.js';
import { optionsRepository } from './options.js';
import { redemptionsRepository } from './redemptions.js';
import { sessionsRepository } from './sessions.js';
import { tokensRepository } from './tokens.js';
import type { Invalidate } from './types.js';
import { usageRepository } from './usage.js';
import { usersRepository } from './users.js';

export function createRepositories(sequelize: Sequelize, models: Models, invalidate: Invalidate) {
  return {
    users: usersRepository(sequelize, models, invalidate),
    sessions: sessionsRepository(models),
    tokens: tokensRepository(models, invalidate),
    channels: channelsRepository(sequelize, models, invalidate),
    options: optionsRepository(sequelize, models, invalidate),
    logs: logsRepository(models),
    redemptions: redemptionsRepository(sequelize, models, invalidate),
    usage: usageRepository(sequelize, models, invalidate),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
