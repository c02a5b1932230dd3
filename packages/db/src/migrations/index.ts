import { initial } from './0001-initial.js';
import { uniqueRequestIds } from './0002-unique-request-ids.js';
import { jobLeases } from './0003-job-leases.js';
import { notifications } from './0004-notifications.js';
import { requestLimits } from './0005-request-limits.js';
import { billedRequests } from './0006-billed-requests.js';
import { authCodes } from './0007-auth-codes.js';
import { userIdentities } from './0008-user-identities.js';
import { topUps } from './0009-top-ups.js';
import { legacyImportMap } from './0010-legacy-import-map.js';
import type { Migration } from './migration.js';

/** Every migration, in the order it runs. */
export const migrations: readonly Migration[] = [
  initial,
  uniqueRequestIds,
  jobLeases,
  notifications,
  requestLimits,
  billedRequests,
  authCodes,
  userIdentities,
  topUps,
  legacyImportMap,
];
