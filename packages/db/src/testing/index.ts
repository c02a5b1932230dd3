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
