import type { Sequelize } from 'sequelize';
import type { Cache } from '../cache/cache.js';
import type { Models } from '../models/index.js';
import { authCodesRepository } from './auth-codes.js';
import { billedRequestsRepository } from './billed-requests.js';
import { channelsRepository } from './channels.js';
import { jobLeasesRepository } from './job-leases.js';
import { logsRepository } from './logs.js';
import { notificationsRepository } from './notifications.js';
import { optionsRepository } from './options.js';
import { redemptionsRepository } from './redemptions.js';
import { sessionsRepository } from './sessions.js';
import { tokensRepository } from './tokens.js';
import { topUpsRepository } from './top-ups.js';
import type { Invalidate } from './types.js';
import { usageRepository } from './usage.js';
import { userIdentitiesRepository } from './user-identities.js';
import { usersRepository } from './users.js';

export function createRepositories(
  sequelize: Sequelize,
  models: Models,
  cache: Cache,
  invalidate: Invalidate,
) {
  return {
    users: usersRepository(sequelize, models, invalidate),
    sessions: sessionsRepository(models),
    tokens: tokensRepository(models, invalidate),
    channels: channelsRepository(sequelize, models, invalidate),
    options: optionsRepository(sequelize, models, invalidate),
    logs: logsRepository(models),
    redemptions: redemptionsRepository(sequelize, models, invalidate),
    usage: usageRepository(sequelize, models, cache, invalidate),
    jobLeases: jobLeasesRepository(models),
    notifications: notificationsRepository(models),
    billedRequests: billedRequestsRepository(models),
    topUps: topUpsRepository(sequelize, models, invalidate),
    authCodes: authCodesRepository(models),
    userIdentities: userIdentitiesRepository(sequelize, models),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
