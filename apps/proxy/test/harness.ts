import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import {
  openDatabase,
  readStorageConfig,
  Role,
  type ChannelInput,
  type Database,
} from '@chat-api/db';
import { createTestDatabase, type DatabaseBackend, type TestDatabase } from '@chat-api/db/testing';
import { build } from '../src/app.js';

/** A logger that drops everything: tests assert on behaviour, not log lines. */
export const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface Gateway {
  base: string;
  db: Database;
  app: FastifyInstance;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** The real proxy on a loopback port over a fresh database (SQLite unless a backend is named). */
export async function startGateway(
  env: {
    relayTimeoutSeconds?: number;
    maxBodyBytes?: number;
    trustedProxies?: string;
    backend?: DatabaseBackend;
    batchUpdate?: { enabled: boolean; intervalSeconds: number };
    /** Use Redis for the cache (TEST_REDIS_URL). */
    redisUrl?: string;
    /** Another node over that gateway's database (which stays its to drop). */
    sharing?: Gateway;
    /** SQLITE_BUSY_TIMEOUT, milliseconds. */
    sqliteBusyTimeoutMs?: number;
    /** BILL_BACKLOG_LIMIT: unwritten bills, while writes fail, past which requests get 503. */
    billBacklogLimit?: number;
    /** SHUTDOWN_TIMEOUT: how long app.close() lets streams run before it cuts them. */
    shutdownTimeoutSeconds?: number;
    /** The clock of the per-minute key limits, milliseconds. */
    clock?: () => number;
  } = {},
): Promise<Gateway> {
  const testDb: TestDatabase = env.sharing
    ? { ...env.sharing.testDb, drop: async () => undefined }
    : await createTestDatabase(env.backend ?? 'sqlite');
  const config = readStorageConfig({
    ...testDb.env,
    REDIS_CONN_STRING: env.redisUrl,
    SQLITE_BUSY_TIMEOUT: env.sqliteBusyTimeoutMs?.toString(),
  });
  const db = await openDatabase({ ...config, logger: quiet });
  const { clock, ...relayEnv } = env;
  const app = build({ db, env: { consolePort: 3001, ...relayEnv }, clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    app,
    testDb,
    close: async () => {
      await app.close();
      await db.close();
      await testDb.drop();
    },
  };
}

let users = 0;

/** A user with quota and an API key, as the console would make them. */
export async function createKey(
  gateway: Gateway,
  options: {
    quota?: number;
    role?: number;
    group?: string;
    models?: string[];
    subnets?: string[];
    remainQuota?: number;
    unlimitedQuota?: boolean;
    expiredTime?: number;
    status?: number;
  } = {},
) {
  const user = await gateway.db.repos.users.create({
    username: `relay_user_${++users}`,
    password: 'password-123',
    role: options.role ?? Role.common,
    quota: options.quota ?? 10_000_000,
    group: options.group ?? 'default',
  });
  const { token, key } = await gateway.db.repos.tokens.create(user.id, {
    name: 'test key',
    unlimitedQuota: options.unlimitedQuota ?? options.remainQuota === undefined,
    remainQuota: options.remainQuota ?? 0,
    models: options.models ?? [],
    subnets: options.subnets ?? [],
    expiredTime: options.expiredTime ?? -1,
    ...(options.status ? { status: options.status } : {}),
  });
  return { user, token, key };
}

export async function addChannel(
  gateway: Gateway,
  input: Partial<ChannelInput> & { baseUrl: string },
) {
  return gateway.db.repos.channels.create({
    type: 'openai-compatible',
    name: `channel to ${input.baseUrl}`,
    key: 'sk-upstream-test-key-0123456789',
    models: ['gpt-4o-mini'],
    ...input,
  });
}

/** The official SDK pointed at the gateway, with its own retries off so failover is ours. */
export function openai(gateway: Gateway, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${gateway.base}/v1`, maxRetries: 0, timeout: 20_000 });
}

/** Waits for the billing writes that happen after the response. */
export async function consumeLogs(gateway: Gateway, count: number, withinMs = 5000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { items } = await gateway.db.repos.logs.list({ type: 2, page: 1, pageSize: 100 });
    if (items.length >= count || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits for the consume log of the request that was answered with this `x-request-id`. */
export async function consumeLogOf(gateway: Gateway, requestId: string | null, withinMs = 5000) {
  if (!requestId) throw new Error('the response carried no x-request-id');
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { items } = await gateway.db.repos.logs.list({ type: 2, page: 1, pageSize: 100 });
    const log = items.find((item) => item.requestId === requestId);
    if (log) return log;
    if (Date.now() > deadline) throw new Error(`no consume log for request ${requestId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Another connection takes SQLite's write lock (a backup, an import holding it) until the
 * returned function is called. SQLite transactions here begin IMMEDIATE: BEGIN takes it.
 */
export async function holdWriteLock(other: Database): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken!: () => void;
  const locked = new Promise<void>((resolve) => (taken = resolve));
  const lock = other.sequelize.transaction(async (transaction) => {
    await other.sequelize.query('SELECT 1', { transaction });
    taken();
    await released;
  });
  await locked;
  return async () => {
    release();
    await lock;
  };
}
