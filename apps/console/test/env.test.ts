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

  it('schedules the channel jobs in minutes, or in seconds where the _SECONDS form is set', () => {
    expect(readConsoleEnv({}).jobs).toEqual({
      channelTestSeconds: 0,
      channelUpdateSeconds: 0,
      pollingIntervalSeconds: 0,
    });
    const minutes = { CHANNEL_TEST_FREQUENCY: '10', CHANNEL_UPDATE_FREQUENCY: '60' };
    expect(readConsoleEnv({ ...minutes, POLLING_INTERVAL: '2' }).jobs).toEqual({
      channelTestSeconds: 600,
      channelUpdateSeconds: 3600,
      pollingIntervalSeconds: 2,
    });
    expect(
      readConsoleEnv({
        ...minutes,
        CHANNEL_TEST_FREQUENCY_SECONDS: '5',
        CHANNEL_UPDATE_FREQUENCY_SECONDS: '0',
      }).jobs,
    ).toMatchObject({ channelTestSeconds: 5, channelUpdateSeconds: 0 });
  });

  it.each([
    [{ CONSOLE_PORT: '-3' }, /^CONSOLE_PORT: /],
    [{ GLOBAL_API_RATE_LIMIT: '0' }, /^GLOBAL_API_RATE_LIMIT: /],
    [{ GLOBAL_WEB_RATE_LIMIT: 'lots' }, /^GLOBAL_WEB_RATE_LIMIT: /],
    [{ CHANNEL_TEST_FREQUENCY: '1.5' }, /^CHANNEL_TEST_FREQUENCY: /],
    [{ CHANNEL_TEST_FREQUENCY_SECONDS: '-1' }, /^CHANNEL_TEST_FREQUENCY_SECONDS: /],
    [{ CHANNEL_UPDATE_FREQUENCY_SECONDS: 'often' }, /^CHANNEL_UPDATE_FREQUENCY_SECONDS: /],
    [{ TZ: 'Mars/Olympus_Mons' }, /^TZ: /],
    [{ NODE_TYPE: 'leader' }, /^NODE_TYPE: /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readConsoleEnv(env)).toThrow(message);
  });
});
