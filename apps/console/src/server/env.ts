import { randomBytes } from 'node:crypto';
import {
  intVar,
  portVar,
  readStorageConfig,
  stringVar,
  timeZoneVar,
  trustedProxiesVar,
  urlVar,
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
    /** The bearer GET /metrics asks for; unset → served to loopback clients only. */
    metricsToken: stringVar(env, 'METRICS_TOKEN'),
    /** Signs session cookies; unset → random per start, so logins end on restart. */
    sessionSecret: sessionSecret || randomBytes(32).toString('hex'),
    /** The console's public address: links in emails (password reset) point there. */
    publicUrl: urlVar(env, 'FRONTEND_BASE_URL', ['http:', 'https:']),
    /** Where Turnstile tokens are verified (Cloudflare's siteverify unless set). */
    turnstileVerifyUrl: urlVar(env, 'TURNSTILE_VERIFY_URL', ['http:', 'https:']),
    /** Stripe's API origin for top-ups; another one reaches a Stripe mock (stripe-mock, tests). */
    stripeApiBase: urlVar(env, 'STRIPE_API_BASE', ['http:', 'https:']),
    /** GitHub sign-in: github.com unless a GitHub Enterprise Server is named. */
    github: {
      baseUrl: urlVar(env, 'GITHUB_BASE_URL', ['http:', 'https:']) ?? 'https://github.com',
      apiUrl: urlVar(env, 'GITHUB_API_URL', ['http:', 'https:']) ?? 'https://api.github.com',
    },
    /** Shown in the console's API examples. */
    proxyPort: portVar(env, 'PROXY_PORT', 3000),
    /** Requests per IP per 3 minutes. */
    rateLimits: {
      api: intVar(env, 'GLOBAL_API_RATE_LIMIT', 180, 1),
      web: intVar(env, 'GLOBAL_WEB_RATE_LIMIT', 60, 1),
    },
    /** Periodic jobs of the master node (0 = off), and the pause between channels. */
    jobs: {
      channelUpdateSeconds: frequencySeconds(env, 'CHANNEL_UPDATE_FREQUENCY'),
      channelTestSeconds: frequencySeconds(env, 'CHANNEL_TEST_FREQUENCY'),
      pollingIntervalSeconds: intVar(env, 'POLLING_INTERVAL', 0),
    },
    /** Day boundaries of the dashboard. */
    timeZone: timeZoneVar(env, 'TZ'),
  };
}

/** NAME in minutes, as One API has it, or NAME_SECONDS when set (tests, small sites); 0 = off. */
function frequencySeconds(env: Env, name: string): number {
  const minutes = intVar(env, name, 0);
  const override = `${name}_SECONDS`;
  return stringVar(env, override) === '' ? minutes * 60 : intVar(env, override, 0);
}

export type ConsoleEnv = ReturnType<typeof readConsoleEnv>;
