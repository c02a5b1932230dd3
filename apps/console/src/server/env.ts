import { randomBytes } from 'node:crypto';
import {
  intVar,
  portVar,
  readStorageConfig,
  stringVar,
  timeZoneVar,
  trustedProxiesVar,
  type Env,
} from '@chat-api/db';

/** Everything the console reads from the environment, validated once at start. */
export function readConsoleEnv(env: Env) {
  const sessionSecret = stringVar(env, 'SESSION_SECRET');
  return {
    ...readStorageConfig(env),
    port: portVar(env, 'CONSOLE_PORT', 3001),
    host: stringVar(env, 'HOST', '0.0.0.0'),
    trustedProxies: trustedProxiesVar(env, 'TRUSTED_PROXIES'),
    /** Signs session cookies; unset → random per start, so logins end on restart. */
    sessionSecret: sessionSecret || randomBytes(32).toString('hex'),
    /** Shown in the console's API examples. */
    proxyPort: portVar(env, 'PROXY_PORT', 3000),
    /** Requests per IP per 3 minutes. */
    rateLimits: {
      api: intVar(env, 'GLOBAL_API_RATE_LIMIT', 180, 1),
      web: intVar(env, 'GLOBAL_WEB_RATE_LIMIT', 60, 1),
    },
    /** Periodic jobs of the master node, in minutes (0 = off), and the pause between channels. */
    jobs: {
      channelUpdateMinutes: intVar(env, 'CHANNEL_UPDATE_FREQUENCY', 0),
      channelTestMinutes: intVar(env, 'CHANNEL_TEST_FREQUENCY', 0),
      pollingIntervalSeconds: intVar(env, 'POLLING_INTERVAL', 0),
    },
    /** Day boundaries of the dashboard. */
    timeZone: timeZoneVar(env, 'TZ'),
  };
}

export type ConsoleEnv = ReturnType<typeof readConsoleEnv>;
