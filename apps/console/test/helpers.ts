import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type DatabaseBackend, type TestDatabase } from '@chat-api/db/testing';
import { build, type BuildOptions } from '../src/server/app.js';
import type { ConsoleLimits } from '../src/server/limits.js';
import type { AppRouter } from '../src/server/router.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TestConsole {
  base: string;
  db: Database;
  close(): Promise<void>;
}

/** The console on a real port over a fresh database (SQLite unless another backend is named). */
export async function startConsole(
  options: {
    backend?: DatabaseBackend;
    timeZone?: string;
    limits?: ConsoleLimits;
    /** More of build()'s options (its environment: FRONTEND_BASE_URL, …). */
    build?: Partial<BuildOptions>;
  } = {},
): Promise<TestConsole> {
  const testDb: TestDatabase = await createTestDatabase(options.backend ?? 'sqlite');
  const db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
  const app: FastifyInstance = await build({
    db,
    sessionSecret: 'test-secret',
    timeZone: options.timeZone ?? 'UTC',
    // Tests sign in far more often than people do; the limits have a test of their own.
    limits: options.limits ?? {
      apiPer3Minutes: 1e6,
      webPer3Minutes: 1e6,
      authAttemptsPerMinute: 1e6,
    },
    ...options.build,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    close: async () => {
      await app.close();
      await db.close();
      await testDb.drop();
    },
  };
}

/** A typed client with its own cookie jar (one browser), or a bearer access token (a script). */
export function client(base: string, options: { bearer?: string } = {}) {
  const jar = new Map<string, string>();
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        headers: () => ({
          ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
          ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        }),
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          for (const header of response.headers.getSetCookie()) {
            const [pair] = header.split(';');
            const [name, ...value] = pair!.split('=');
            if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name!);
            else jar.set(name!, value.join('='));
          }
          return response;
        },
      }),
    ],
  });
  return { api, jar };
}

/** The tRPC error code a call failed with. */
export async function errorCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError)
      return (error.data as { code?: string } | undefined)?.code;
    throw error;
  }
  return undefined;
}

/** The tRPC code and message a call failed with (the message names the field, e.g. "name: …"). */
export async function failure(
  call: Promise<unknown>,
): Promise<{ code: string | undefined; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      return { code: (error.data as { code?: string } | undefined)?.code, message: error.message };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}

let userCounter = 0;

/**
 * A new user of the given role (1 common, 10 admin, 100 root) with its own signed-in client.
 * Root's forced password change is already done, as in a running installation.
 */
export async function signedInUser(
  server: TestConsole,
  options: { role?: number; quota?: number; group?: string } = {},
) {
  const username = `user${++userCounter}_${options.role ?? 1}`;
  const password = 'password-123';
  const user = await server.db.repos.users.create({
    username,
    password,
    role: options.role ?? 1,
    quota: options.quota ?? 0,
    group: options.group ?? 'default',
  });
  const session = client(server.base);
  await session.api.auth.login.mutate({ username, password });
  return { user, password, ...session };
}
