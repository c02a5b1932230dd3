import { describe, expect, it } from 'vitest';
import { readConsoleEnv } from '../src/server/env.js';

describe('readConsoleEnv', () => {
  it('has the documented defaults and a random session secret per start', () => {
    const first = readConsoleEnv({});
    expect(first).toMatchObject({ port: 3001, rateLimits: { api: 180, web: 60 } });
    expect(first.sessionSecret).toHaveLength(64);
    expect(readConsoleEnv({}).sessionSecret).not.toBe(first.sessionSecret);
    expect(readConsoleEnv({ SESSION_SECRET: 'fixed' }).sessionSecret).toBe('fixed');
    expect(readConsoleEnv({ TZ: 'Asia/Shanghai' }).timeZone).toBe('Asia/Shanghai');
  });

  it.each([
    [{ CONSOLE_PORT: '-3' }, /^CONSOLE_PORT: /],
    [{ GLOBAL_API_RATE_LIMIT: '0' }, /^GLOBAL_API_RATE_LIMIT: /],
    [{ GLOBAL_WEB_RATE_LIMIT: 'lots' }, /^GLOBAL_WEB_RATE_LIMIT: /],
    [{ CHANNEL_TEST_FREQUENCY: '1.5' }, /^CHANNEL_TEST_FREQUENCY: /],
    [{ TZ: 'Mars/Olympus_Mons' }, /^TZ: /],
    [{ NODE_TYPE: 'leader' }, /^NODE_TYPE: /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readConsoleEnv(env)).toThrow(message);
  });
});
