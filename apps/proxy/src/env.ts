import {
  boolVar,
  intVar,
  portVar,
  readStorageConfig,
  stringVar,
  trustedProxiesVar,
  urlVar,
  type Env,
} from '@chat-api/db';

/** Everything the proxy reads from the environment, validated once at start. */
export function readProxyEnv(env: Env) {
  // Accepted for compatibility: the encodings ship with js-tiktoken, nothing is downloaded.
  stringVar(env, 'TIKTOKEN_CACHE_DIR');
  stringVar(env, 'DATA_GYM_CACHE_DIR');
  return {
    ...readStorageConfig(env),
    port: portVar(env, 'PROXY_PORT', 3000),
    consolePort: portVar(env, 'CONSOLE_PORT', 3001),
    host: stringVar(env, 'HOST', '0.0.0.0'),
    trustedProxies: trustedProxiesVar(env, 'TRUSTED_PROXIES'),
    /** The bearer GET /metrics asks for; unset → served to loopback clients only. */
    metricsToken: stringVar(env, 'METRICS_TOKEN'),
    /** Where GET / sends browsers; unset → this host's console port. */
    frontendBaseUrl: urlVar(env, 'FRONTEND_BASE_URL', ['http:', 'https:']),
    /** Upstream timeout in seconds; 0 = none. */
    relayTimeoutSeconds: intVar(env, 'RELAY_TIMEOUT', 0),
    /** Largest request body (JSON or audio upload); larger ones get 413. */
    maxBodyBytes: intVar(env, 'MAX_REQUEST_BODY_MB', 32, 1) * 1024 * 1024,
    /** Seconds a client has to send its whole request; slower ones get 408. 0 = no limit. */
    requestBodyTimeoutSeconds: intVar(env, 'REQUEST_BODY_TIMEOUT', 30),
    /** Seconds SIGTERM lets requests in flight finish before it cuts the streams still open. */
    shutdownTimeoutSeconds: intVar(env, 'SHUTDOWN_TIMEOUT', 60),
    /**
     * Bills waiting for a database that keeps failing, past which new requests are refused
     * (503): what a node killed during a database outage could fail to charge.
     */
    billBacklogLimit: intVar(env, 'BILL_BACKLOG_LIMIT', 10_000, 1),
    /** Aggregate quota and log writes, flushed every intervalSeconds and on shutdown. */
    batchUpdate: {
      enabled: boolVar(env, 'BATCH_UPDATE_ENABLED', false),
      intervalSeconds: intVar(env, 'BATCH_UPDATE_INTERVAL', 5, 1),
    },
  };
}

export type ProxyEnv = ReturnType<typeof readProxyEnv>;
