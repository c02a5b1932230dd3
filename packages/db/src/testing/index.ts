export {
  cacheBackends,
  createTestDatabase,
  databaseBackends,
  describeBackends,
  type BackendChoice,
  type CacheBackend,
  type DatabaseBackend,
  type TestDatabase,
} from './backends.js';
export { TcpGate } from './tcp-gate.js';
export {
  buildLegacyDatabase,
  LEGACY_CLIENT_KEYS,
  LEGACY_PASSWORDS,
  type LegacyFixture,
} from './legacy-fixtures/index.js';
