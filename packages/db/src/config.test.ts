import { describe, expect, it } from 'vitest';
import { readStorageConfig } from './config.js';

describe('readStorageConfig', () => {
  it('defaults to SQLite at ./data/chat-api.db with the documented pool', () => {
    const config = readStorageConfig({});
    expect(config.database.target).toEqual({ dialect: 'sqlite', storage: './data/chat-api.db' });
    expect(config.database.busyTimeoutMs).toBe(3000);
    expect(config.database.pool).toEqual({ maxOpen: 1000, maxIdle: 100, maxLifetimeMs: 3_600_000 });
    expect(config.cache).toEqual({ syncFrequencySeconds: 600 });
    expect(config.node.nodeType).toBe('master');
  });

  it.each([
    [{ SQL_DSN: 'garbage' }, /^SQL_DSN: /],
    [{ SQL_MAX_OPEN_CONNS: 'many' }, /^SQL_MAX_OPEN_CONNS: /],
    [{ SQLITE_BUSY_TIMEOUT: '-5' }, /^SQLITE_BUSY_TIMEOUT: /],
    [{ REDIS_CONN_STRING: 'localhost:6379' }, /^REDIS_CONN_STRING: /],
    [{ REDIS_CONN_STRING: 'http://localhost:6379' }, /^REDIS_CONN_STRING: /],
    [{ NODE_TYPE: 'primary' }, /^NODE_TYPE: /],
    [{ MEMORY_CACHE_ENABLED: 'perhaps' }, /^MEMORY_CACHE_ENABLED: /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readStorageConfig(env)).toThrow(message);
  });

  it('reads Redis, slave mode and SQLite settings', () => {
    const config = readStorageConfig({
      REDIS_CONN_STRING: 'redis://:pw@127.0.0.1:6379/2',
      NODE_TYPE: 'slave',
      SQLITE_PATH: '/var/lib/chat-api/db.sqlite',
      SQLITE_BUSY_TIMEOUT: '10000',
      SYNC_FREQUENCY: '60',
    });
    expect(config.cache).toEqual({
      redisUrl: 'redis://:pw@127.0.0.1:6379/2',
      syncFrequencySeconds: 60,
    });
    expect(config.node.nodeType).toBe('slave');
    expect(config.database.target).toEqual({
      dialect: 'sqlite',
      storage: '/var/lib/chat-api/db.sqlite',
    });
    expect(config.database.busyTimeoutMs).toBe(10000);
  });
});
