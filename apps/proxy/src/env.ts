import { intVar, readStorageConfig, stringVar, urlVar, type Env } from '@chat-api/db';

/** Everything the proxy reads from the environment, validated once at start. */
export function readProxyEnv(env: Env) {
  return {
    ...readStorageConfig(env),
    port: intVar(env, 'PROXY_PORT', 3000),
    consolePort: intVar(env, 'CONSOLE_PORT', 3001),
    host: stringVar(env, 'HOST', '0.0.0.0'),
    /** Where GET / sends browsers; unset → this host's console port. */
    frontendBaseUrl: urlVar(env, 'FRONTEND_BASE_URL', ['http:', 'https:']),
    /** Upstream timeout in seconds; 0 = none. */
    relayTimeoutSeconds: intVar(env, 'RELAY_TIMEOUT', 0),
  };
}

export type ProxyEnv = ReturnType<typeof readProxyEnv>;
