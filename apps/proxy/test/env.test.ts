import { describe, expect, it } from 'vitest';
import { readProxyEnv } from '../src/env.js';

describe('readProxyEnv', () => {
  it('has the documented defaults', () => {
    expect(readProxyEnv({})).toMatchObject({
      port: 3000,
      consolePort: 3001,
      host: '0.0.0.0',
      relayTimeoutSeconds: 0,
      batchUpdate: { enabled: false, intervalSeconds: 5 },
    });
  });

  it.each([
    [{ PROXY_PORT: 'eighty' }, /^PROXY_PORT: /],
    [{ PROXY_PORT: '70000' }, /^PROXY_PORT: /],
    [{ RELAY_TIMEOUT: '-1' }, /^RELAY_TIMEOUT: /],
    [{ BATCH_UPDATE_ENABLED: 'sometimes' }, /^BATCH_UPDATE_ENABLED: /],
    [{ BATCH_UPDATE_INTERVAL: '0' }, /^BATCH_UPDATE_INTERVAL: /],
    [{ FRONTEND_BASE_URL: 'console.example.com' }, /^FRONTEND_BASE_URL: /],
    [{ SQL_DSN: 'garbage' }, /^SQL_DSN: /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readProxyEnv(env)).toThrow(message);
  });
});
