import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type TestDatabase } from '@chat-api/db/testing';
import { build } from '../src/server/app.js';
import type { AppRouter } from '../src/server/router.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface TestConsole {
  base: string;
  db: Database;
  close(): Promise<void>;
}

/** The console on a real port over a fresh SQLite database. */
export async function startConsole(): Promise<TestConsole> {
  const testDb: TestDatabase = await createTestDatabase('sqlite');
  const db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
  const app: FastifyInstance = await build({ db, sessionSecret: 'test-secret' });
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
