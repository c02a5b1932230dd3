import { randomBytes } from 'node:crypto';
import { intVar, readStorageConfig, stringVar, type Env } from '@chat-api/db';

/** Everything the console reads from the environment, validated once at start. */
export function readConsoleEnv(env: Env) {
  const sessionSecret = stringVar(env, 'SESSION_SECRET');
  return {
    ...readStorageConfig(env),
    port: intVar(env, 'CONSOLE_PORT', 3001),
    host: stringVar(env, 'HOST', '0.0.0.0'),
    /** Signs session cookies; unset → random per start, so logins end on restart. */
    sessionSecret: sessionSecret || randomBytes(32).toString('hex'),
    /** Shown in the console's API examples. */
    proxyPort: intVar(env, 'PROXY_PORT', 3000),
  };
}

export type ConsoleEnv = ReturnType<typeof readConsoleEnv>;
