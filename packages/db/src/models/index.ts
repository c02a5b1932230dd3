import type { Sequelize } from 'sequelize';
import { initAbility } from './ability.js';
import { initAuthCode } from './auth-code.js';
import { initBilledRequest } from './billed-request.js';
import { initCacheEvent } from './cache-event.js';
import { initChannel } from './channel.js';
import { initJobLease } from './job-lease.js';
import { initLegacyImportMap } from './legacy-import-map.js';
import { initLog } from './log.js';
import { initNotification } from './notification.js';
import { initOption } from './option.js';
import { initRedemption } from './redemption.js';
import { initSession } from './session.js';
import { initToken } from './token.js';
import { initTopUp } from './top-up.js';
import { initUser } from './user.js';
import { initUserIdentity } from './user-identity.js';

export function defineModels(sequelize: Sequelize) {
  return {
    User: initUser(sequelize),
    Token: initToken(sequelize),
    Channel: initChannel(sequelize),
    Ability: initAbility(sequelize),
    Option: initOption(sequelize),
    Log: initLog(sequelize),
    Redemption: initRedemption(sequelize),
    Session: initSession(sequelize),
    CacheEvent: initCacheEvent(sequelize),
    JobLease: initJobLease(sequelize),
    Notification: initNotification(sequelize),
    BilledRequest: initBilledRequest(sequelize),
    TopUp: initTopUp(sequelize),
    AuthCode: initAuthCode(sequelize),
    UserIdentity: initUserIdentity(sequelize),
    LegacyImportMap: initLegacyImportMap(sequelize),
  };
}

export type Models = ReturnType<typeof defineModels>;
