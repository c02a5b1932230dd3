export { openDatabase, type Database, type OpenOptions } from './database.js';
export {
  readStorageConfig,
  type CacheConfig,
  type DatabaseConfig,
  type NodeConfig,
} from './config.js';
export { parseDsn, redact, type DatabaseTarget } from './dsn.js';
export {
  boolVar,
  intVar,
  oneOfVar,
  portVar,
  stringVar,
  timeZoneVar,
  trustedProxiesVar,
  urlVar,
  type Env,
} from './env.js';
export { ConfigError, UniqueViolationError } from './errors.js';
export { isTransientDatabaseError } from './transient-error.js';
export { migrate } from './migrate.js';
export { createSequelize } from './connect.js';
export { defineModels, type Models } from './models/index.js';
export { Role, UserStatus } from './models/user.js';
export { TokenStatus, type ExpiryMode } from './models/token.js';
export { ChannelStatus } from './models/channel.js';
export { LogType } from './models/log.js';
export { RedemptionStatus } from './models/redemption.js';
export { IDENTITY_PROVIDERS, type IdentityProvider } from './models/user-identity.js';
export { TopUpStatus, type TopUpStatusName } from './models/top-up.js';
export { createRepositories, type Repositories } from './repositories/index.js';
export type {
  User,
  NewUser,
  RegistrationQuotas,
  UserPatch,
  UserSort,
} from './repositories/users.js';
export type { Token, TokenSettings } from './repositories/tokens.js';
export type { RequestLimitFields } from './repositories/request-limit-fields.js';
export type {
  Channel,
  ChannelFilter,
  ChannelInput,
  ChannelWithKey,
  RoutingSnapshot,
  StatusChangeCause,
} from './repositories/channels.js';
export type { Consumption, HeldQuota, HoldRefusal, Payer } from './repositories/usage.js';
export type { Log, NewLog, LogFilter, LogStats } from './repositories/logs.js';
export type { Redemption } from './repositories/redemptions.js';
export type {
  NewIdentityUser,
  ProviderAccount,
  UserIdentitiesRepository,
  UserIdentity,
} from './repositories/user-identities.js';
export type { NewTopUp, TopUp, TopUpsRepository } from './repositories/top-ups.js';
export {
  dueAtMs,
  type JobLeaseState,
  type JobLeasesRepository,
  type JobSummary,
  type LeaseClaim,
} from './repositories/job-leases.js';
export {
  DEFAULT_RETRY,
  retryDelaySeconds,
  type ChannelNotice,
  type Notification,
  type NotificationEvent,
  type NotificationEventName,
  type NotificationsRepository,
  type QuotaNotice,
  type RetryPolicy,
} from './repositories/notifications.js';
export { NotificationStatus } from './models/notification.js';
export type { Page, PageRequest } from './repositories/types.js';
export {
  Cache,
  CacheKeys,
  consoleLogger,
  createCache,
  RequestLimiter,
  type Logger,
  type MinuteLimits,
  type MinuteRefusal,
  type Slot,
} from './cache/index.js';
export type { RateLimitResult } from './cache/rate-limiter.js';
export {
  OPTION_DEFINITIONS,
  isOptionKey,
  isSecretOption,
  optionValueError,
  withDefaults,
  type OptionDefinition,
  type OptionKey,
  type OptionType,
} from './options/definitions.js';
export { ensureRootUser, DEFAULT_ROOT } from './bootstrap.js';
export {
  generateApiKey,
  hashPassword,
  randomAlphanumeric,
  sha256Hex,
  verifyPassword,
} from './secrets.js';
export { nowSeconds } from './time.js';
export { runService } from './run-service.js';
export { metricsRefusal, type MetricsRefusal, type MetricsRequest } from './metrics-access.js';
export {
  clientKeyOf,
  formatImportReport,
  importLegacyDatabase,
  inspectLegacySource,
  LegacyImportError,
  LEGACY_TABLES,
  type Detection,
  type ImportOptions,
  type ImportReport,
  type LegacyProject,
  type LegacySource,
  type LegacyTable,
  type TableReport,
} from './legacy-import/index.js';
